/**
 * The mechanics the game simulates, each with its public source and, where the model takes a
 * shortcut, the shortcut said out loud. Numbers match the core's constants (the `// estimate:`
 * ones in core/ are called estimates here too).
 */
import type { CodexEntry } from './types.js';

const LINUX_RING = {
  key: 'L',
  ref: 'include/linux/hyperv.h (struct hv_ring_buffer), drivers/hv/ring_buffer.c',
} as const;
const OPENVMM_RING = { key: 'O', ref: 'vm/devices/vmbus/vmbus_ring' } as const;
const VMBUS_RST = { key: 'L', ref: 'Documentation/virt/hyperv/vmbus.rst' } as const;
const SCHEDULER_DOC = {
  key: 'WS',
  ref: 'Manage Hyper-V scheduler types (WindowsServerDocs/virtualization/hyper-v/manage/manage-hyper-v-scheduler-types.md)',
} as const;
const DM_DOC = {
  key: 'WS',
  ref: 'Hyper-V Dynamic Memory Overview; Set-VMMemory (Hyper-V PowerShell module)',
} as const;
const BALLOON = { key: 'L', ref: 'drivers/hv/hv_balloon.c' } as const;
const HYPERCALLS = {
  key: 'T',
  ref: 'TLFS, Hypercall Interface (tlfs/hypercall-interface.md)',
} as const;
const SYNIC = {
  key: 'T',
  ref: 'TLFS, Inter-Partition Communication: SynIC messages and event flags (tlfs/inter-partition-communication.md)',
} as const;
const SCALE_DOC = {
  key: 'WS',
  ref: 'Hyper-V maximum scale limits in Windows Server (WindowsServerDocs/virtualization/hyper-v/maximum-scale-limits.md)',
} as const;
const GEN_DOC = {
  key: 'WS',
  ref: 'Should I create a generation 1 or 2 virtual machine in Hyper-V? (WindowsServerDocs/virtualization/hyper-v/plan/Should-I-create-a-generation-1-or-2-virtual-machine-in-Hyper-V.md)',
} as const;

export const MECHANICS: readonly CodexEntry[] = [
  {
    id: 'synthetic-vs-emulated',
    kind: 'mechanic',
    term: { en: 'Synthetic and emulated paths', 'pt-BR': 'Caminho sintético e caminho emulado' },
    summary: {
      en: 'Two ways a child partition reaches hardware: VSC → VMBus → VSP, or trapped port accesses emulated by VMWP.',
      'pt-BR':
        'Dois jeitos de uma partição filha chegar ao hardware: VSC → VMBus → VSP, ou acessos a portas interceptados e emulados pelo VMWP.',
    },
    body: {
      en: 'The synthetic path moves whole requests through shared memory, with at most one signal per batch.\n\nThe emulated path pretends to be old hardware. Every register access of, say, the IDE controller is an intercept: an exit to the hypervisor, a message to the root, the worker process decoding and emulating it, the intercept completed. One disk read takes many such round trips, which is why emulation is much slower and costs far more root CPU.',
      'pt-BR':
        'O caminho sintético move requisições inteiras por memória compartilhada, com no máximo um sinal por lote.\n\nO caminho emulado finge ser hardware antigo. Cada acesso a um registrador do controlador IDE, por exemplo, é uma interceptação: uma saída para o hipervisor, uma mensagem para a raiz, o processo de trabalho decodificando e emulando, a interceptação concluída. Uma leitura de disco exige muitas dessas idas e voltas, por isso a emulação é bem mais lenta e custa muito mais CPU da raiz.',
    },
    inGame: {
      en: 'Level 3 (Legacy guest) makes you choose: old01’s disk starts emulated, a thin line into its VMWP; with “Integration components” on and the disk connected to the storage VSP, it takes the synthetic path. The objectives show the gap: “The root partition uses at most 20% of its CPU” fails while it is emulated.',
      'pt-BR':
        'A fase 3 (Convidado legado) faz você escolher: o disco de old01 começa emulado, uma linha fina até o VMWP dela; com “Componentes de integração” ligados e o disco ligado ao VSP de armazenamento, ele segue pelo caminho sintético. Os objetivos mostram a diferença: “A partição raiz usa no máximo 20% da sua CPU” falha enquanto ele é emulado.',
    },
    seenAt: [
      {
        kind: 'field',
        level: '03-legacy-guest',
        control: 'integrationComponents',
        label: 'play.field.ic',
      },
      { kind: 'objective', level: '03-legacy-guest', metric: 'rootCpuPercent' },
      { kind: 'board', part: 'vmwp' },
    ],
    simplification: {
      en: 'The cost of each emulated access is an estimate (about 10 µs of root CPU plus the device model’s work). The gap is not a multiplier: it comes from how many accesses each path needs.',
      'pt-BR':
        'O custo de cada acesso emulado é uma estimativa (cerca de 10 µs de CPU da raiz mais o trabalho do modelo do dispositivo). A diferença não é um multiplicador: vem de quantos acessos cada caminho precisa.',
    },
    sources: [
      {
        key: 'T',
        ref: 'TLFS, intercept messages: HvMessageTypeX64IoPortIntercept 0x80010000 (tlfs/datatypes/hv_message_type.md)',
      },
      GEN_DOC,
      {
        key: 'VD',
        ref: 'MicrosoftDocs/Virtualization-Documentation: virtualization/hyper-v-on-windows/reference/hyper-v-architecture.md (Enlightened I/O)',
      },
    ],
    related: ['vmwp', 'vsc', 'vsp', 'ic', 'io-stack'],
  },
  {
    id: 'vmbus-ring-buffer',
    kind: 'mechanic',
    term: { en: 'VMBus ring buffer', 'pt-BR': 'Buffer em anel do VMBus' },
    summary: {
      en: 'Each channel has two circular buffers in guest memory, one per direction, each with a read and a write index.',
      'pt-BR':
        'Cada canal tem dois buffers circulares na memória do convidado, um por direção, cada um com um índice de leitura e um de escrita.',
    },
    body: {
      en: 'A ring is a 4 KiB header page (write_index, read_index, interrupt_mask, pending_send_sz, feature bits) followed by the data area. Indices are byte offsets.\n\nA packet is a 16-byte descriptor (type, offset8, len8, flags, trans_id), the payload padded to 8 bytes, and an 8-byte trailer. The ring is empty when read equals write, so a writer never fills the last slot. Typical sizes per direction: 128 KiB for storage, 512 KiB for network.',
      'pt-BR':
        'Um anel é uma página de cabeçalho de 4 KiB (write_index, read_index, interrupt_mask, pending_send_sz, bits de recursos) seguida da área de dados. Os índices são deslocamentos em bytes.\n\nUm pacote é um descritor de 16 bytes (type, offset8, len8, flags, trans_id), a carga alinhada a 8 bytes e um trailer de 8 bytes. O anel está vazio quando leitura é igual a escrita, então quem escreve nunca ocupa o último espaço. Tamanhos típicos por direção: 128 KiB para armazenamento, 512 KiB para rede.',
    },
    inGame: {
      en: "The thin bar under each VM’s sparkline shows how full its guest-to-host rings are: the share of the time the guest waited for room in them, or the backlog the root has not read yet, whichever is higher (red above 80%). In level 9 (Ring full), the VSC’s “Ring size (KiB)” field sets the ring, and the objective “bigdb's ring is full less than 5% of the time” counts how long the guest waited for room.",
      'pt-BR':
        'A barra fina sob o gráfico de cada VM mostra quão cheios estão os anéis convidado→host dela: a fração do tempo em que o convidado esperou por espaço neles, ou o que a raiz ainda não leu, o que for maior (vermelha acima de 80%). Na fase 9 (Anel cheio), o campo “Tamanho do anel (KiB)” do VSC define o anel, e o objetivo “O anel de bigdb fica cheio menos de 5% do tempo” mede quanto tempo o convidado esperou por espaço.',
    },
    seenAt: [
      { kind: 'board', part: 'ring' },
      {
        kind: 'field',
        level: '09-ring-full',
        control: 'channelSettings',
        label: 'play.field.ring',
      },
      { kind: 'objective', level: '09-ring-full', metric: 'ringFullPercent' },
    ],
    sources: [LINUX_RING, OPENVMM_RING, VMBUS_RST],
    related: ['signalling', 'flow-control', 'gpadl', 'vmbus'],
  },
  {
    id: 'signalling',
    kind: 'mechanic',
    term: {
      en: 'Signalling and interrupt masking',
      'pt-BR': 'Sinalização e mascaramento de interrupções',
    },
    summary: {
      en: 'A writer signals the reader only if the ring was empty and the reader has not masked interrupts.',
      'pt-BR':
        'Quem escreve só sinaliza o leitor se o anel estava vazio e o leitor não mascarou as interrupções.',
    },
    body: {
      en: 'After publishing its write index, the writer asks two questions: was the ring empty before this packet, and is interrupt_mask clear? Only if both are true does it signal — a hypercall that sets an event flag and may raise an interrupt.\n\nThe reader masks interrupts while it drains, unmasks, then checks once more for data that arrived in between. A busy channel therefore costs few interrupts.',
      'pt-BR':
        'Depois de publicar o índice de escrita, quem escreve faz duas perguntas: o anel estava vazio antes deste pacote, e o interrupt_mask está zerado? Só se as duas forem verdadeiras ele sinaliza — uma hypercall que liga um indicador de evento e pode gerar uma interrupção.\n\nO leitor mascara as interrupções enquanto esvazia o anel, desmascara e confere mais uma vez se chegaram dados nesse meio-tempo. Por isso um canal movimentado custa poucas interrupções.',
    },
    inGame: {
      en: 'The “interrupts” and “hypercalls” counters in the hypervisor strip add up the signals. In level 8 (Interrupt storm), each VSC’s “Signalling” choice decides how its channel signals: low-latency at once, batched through the monitor page. No APIC is drawn, and no campaign guest signals when it should not.',
      'pt-BR':
        'Os contadores “interrupções” e “hypercalls” na faixa do hipervisor somam os sinais. Na fase 8 (Tempestade de interrupções), a opção “Sinalização” de cada VSC decide como o canal sinaliza: a imediata (low-latency) na hora, a agrupada (batched) pela página de monitoração. Nenhum APIC é desenhado, e nenhum convidado da campanha sinaliza quando não deve.',
    },
    seenAt: [
      { kind: 'board', part: 'counters' },
      {
        kind: 'field',
        level: '08-interrupt-storm',
        control: 'channelSettings',
        label: 'play.field.signalling',
      },
    ],
    sources: [
      { key: 'L', ref: 'drivers/hv/ring_buffer.c (hv_ringbuffer_write, hv_pkt_iter_close)' },
      VMBUS_RST,
      OPENVMM_RING,
    ],
    related: ['vmbus-ring-buffer', 'interrupt-throttling', 'monitor-pages', 'synic'],
  },
  {
    id: 'flow-control',
    kind: 'mechanic',
    term: { en: 'Flow control (pending_send_sz)', 'pt-BR': 'Controle de fluxo (pending_send_sz)' },
    summary: {
      en: 'A writer that finds the ring full says how much room it needs; the reader signals it once that much is free.',
      'pt-BR':
        'Quem escreve e encontra o anel cheio diz de quanto espaço precisa; o leitor o sinaliza quando esse espaço estiver livre.',
    },
    body: {
      en: 'The writer puts the size it needs in pending_send_sz in the ring header and waits. As the reader consumes packets it checks whether free space has crossed from below that size to at least that size — and only then signals the writer. Without it, writers would have to poll or drop packets.',
      'pt-BR':
        'Quem escreve coloca o tamanho de que precisa em pending_send_sz, no cabeçalho do anel, e espera. Conforme o leitor consome pacotes, ele verifica se o espaço livre passou de abaixo desse tamanho para pelo menos esse tamanho — e só então sinaliza quem escreve. Sem isso, quem escreve teria de ficar consultando ou descartar pacotes.',
    },
    inGame: {
      en: "In level 9 (Ring full), bigdb’s 16 KiB ring holds too few requests and storvsc has to wait for the host to free room: the objective “bigdb's ring is full less than 5% of the time” shows how long it waited. The pending send and the signal that wakes it are not drawn.",
      'pt-BR':
        'Na fase 9 (Anel cheio), o anel de 16 KiB de bigdb comporta poucas requisições e o storvsc precisa esperar o host liberar espaço: o objetivo “O anel de bigdb fica cheio menos de 5% do tempo” mostra quanto tempo ele esperou. O envio pendente e o sinal que o acorda não são desenhados.',
    },
    seenAt: [{ kind: 'objective', level: '09-ring-full', metric: 'ringFullPercent' }],
    sources: [
      { key: 'L', ref: 'drivers/hv/ring_buffer.c (hv_pkt_iter_close: pending_send_sz)' },
      OPENVMM_RING,
    ],
    related: ['vmbus-ring-buffer', 'signalling', 'subchannels'],
  },
  {
    id: 'gpadl',
    kind: 'mechanic',
    term: { en: 'GPADL', 'pt-BR': 'GPADL' },
    expansion: {
      en: 'Guest Physical Address Descriptor List',
      'pt-BR': 'Lista de Descritores de Endereços Físicos do Convidado',
    },
    summary: {
      en: 'The list of guest pages a partition grants to a channel, and the only guest memory a VSP may touch.',
      'pt-BR':
        'A lista de páginas do convidado que uma partição concede a um canal — a única memória do convidado que um VSP pode tocar.',
    },
    body: {
      en: 'Before a channel opens, the guest sends GPADL_HEADER (plus GPADL_BODY messages when the page list does not fit) naming the pages of its rings; the root answers GPADL_CREATED with a handle. Closing tears it down (GPADL_TEARDOWN → GPADL_TORNDOWN).\n\nThe total guest memory shared through GPADLs is capped, so a rogue guest cannot exhaust the host: about 1,280 MB on Windows Server 2019 and later, about 384 MB before.',
      'pt-BR':
        'Antes de um canal abrir, o convidado envia GPADL_HEADER (e mensagens GPADL_BODY quando a lista de páginas não cabe) citando as páginas dos seus anéis; a raiz responde GPADL_CREATED com um identificador. Fechar desfaz tudo (GPADL_TEARDOWN → GPADL_TORNDOWN).\n\nO total de memória do convidado compartilhada por GPADLs tem teto, para que um convidado malicioso não esgote o host: cerca de 1.280 MB no Windows Server 2019 e posteriores, cerca de 384 MB antes.',
    },
    inGame: {
      en: 'Not drawn. Opening a channel creates its GPADL, and the network’s send and receive buffers are GPADLs too. In level 11 (Hostile guest), the objective “Nothing reaches outside the memory a guest granted” counts every time a VSP reaches outside them.',
      'pt-BR':
        'Não é desenhado. Abrir um canal cria o GPADL dele, e os buffers de envio e recepção da rede também são GPADLs. Na fase 11 (Convidado hostil), o objetivo “Nada alcança fora da memória que o convidado concedeu” conta cada vez que um VSP passa desses limites.',
    },
    seenAt: [{ kind: 'objective', level: '11-hostile-guest', metric: 'isolationFaults' }],
    sources: [
      {
        key: 'L',
        ref: 'drivers/hv/channel.c (vmbus_establish_gpadl), include/linux/hyperv.h (vmbus_channel_gpadl_header), Documentation/virt/hyperv/vmbus.rst (GPADL limit)',
      },
      { key: 'O', ref: 'vm/devices/vmbus/vmbus_server/src/channels.rs' },
    ],
    related: ['isolation', 'channel-lifecycle', 'vmbus-ring-buffer'],
  },
  {
    id: 'synic',
    kind: 'mechanic',
    term: { en: 'SynIC', 'pt-BR': 'SynIC' },
    expansion: {
      en: 'Synthetic Interrupt Controller',
      'pt-BR': 'Controlador de Interrupções Sintético',
    },
    summary: {
      en: 'The hypervisor’s extension of each virtual APIC that delivers messages and event flags to a partition.',
      'pt-BR':
        'A extensão que o hipervisor faz de cada APIC virtual para entregar mensagens e indicadores de eventos a uma partição.',
    },
    body: {
      en: 'Per virtual processor: a message page (SIMP) with 16 slots of 256 bytes, an event-flags page (SIEFP) and 16 synthetic interrupt sources (SINT0–SINT15), all masked at reset.\n\nA message waits while its slot is busy; the receiver writes EOM to let the next one in. Setting an event flag raises an interrupt only on a 0 → 1 transition. VMBus control messages travel on SINT2. Message types with the high bit set belong to the hypervisor; guests cannot post them.',
      'pt-BR':
        'Por processador virtual: uma página de mensagens (SIMP) com 16 espaços de 256 bytes, uma página de indicadores de eventos (SIEFP) e 16 fontes de interrupção sintéticas (SINT0–SINT15), todas mascaradas ao iniciar.\n\nUma mensagem espera enquanto seu espaço está ocupado; quem recebe escreve EOM para deixar a próxima entrar. Ligar um indicador de evento só gera interrupção na transição de 0 para 1. As mensagens de controle do VMBus viajam no SINT2. Tipos de mensagem com o bit mais alto ligado pertencem ao hipervisor; convidados não podem postá-los.',
    },
    inGame: {
      en: 'Not drawn: the SynIC works inside the simulation, with a message page, an event-flags page and 16 SINTs per virtual processor. What it delivers adds to the “interrupts” counter in the hypervisor strip.',
      'pt-BR':
        'Não é desenhado: o SynIC funciona dentro da simulação, com uma página de mensagens, uma de indicadores de eventos e 16 SINTs por processador virtual. O que ele entrega entra no contador “interrupções” da faixa do hipervisor.',
    },
    seenAt: [{ kind: 'board', part: 'counters' }],
    sources: [SYNIC, { key: 'L', ref: 'drivers/hv/hv.c (hv_synic_enable_regs)' }],
    related: ['apic', 'msr', 'signalling', 'channel-lifecycle'],
  },
  {
    id: 'hypercall-status',
    kind: 'mechanic',
    term: {
      en: 'Hypercall status codes and ACCESS_DENIED',
      'pt-BR': 'Códigos de status de hypercall e ACCESS_DENIED',
    },
    summary: {
      en: 'Every hypercall returns a status; an unprivileged caller gets ACCESS_DENIED before anything else.',
      'pt-BR':
        'Toda hypercall devolve um status; quem não tem privilégio recebe ACCESS_DENIED antes de qualquer outro.',
    },
    body: {
      en: 'Codes: SUCCESS 0, INVALID_HYPERCALL_CODE 2, INVALID_HYPERCALL_INPUT 3, INVALID_ALIGNMENT 4, INVALID_PARAMETER 5, ACCESS_DENIED 6, INVALID_PARTITION_STATE 7, OPERATION_DENIED 8, INSUFFICIENT_MEMORY 0xB, INVALID_PARTITION_ID 0xD, INVALID_VP_INDEX 0xE, INVALID_CONNECTION_ID 0x12, INSUFFICIENT_BUFFERS 0x13.\n\nA privilege mask per partition (CreatePartitions, AccessMemoryPool, PostMessages, SignalEvents…) decides what it may call; only the root holds the management privileges. When several errors apply, ACCESS_DENIED wins, so an unprivileged caller learns nothing about objects it may not touch. INSUFFICIENT_MEMORY means the root must deposit pages into the hypervisor’s pool (HvCallDepositMemory).',
      'pt-BR':
        'Códigos: SUCCESS 0, INVALID_HYPERCALL_CODE 2, INVALID_HYPERCALL_INPUT 3, INVALID_ALIGNMENT 4, INVALID_PARAMETER 5, ACCESS_DENIED 6, INVALID_PARTITION_STATE 7, OPERATION_DENIED 8, INSUFFICIENT_MEMORY 0xB, INVALID_PARTITION_ID 0xD, INVALID_VP_INDEX 0xE, INVALID_CONNECTION_ID 0x12, INSUFFICIENT_BUFFERS 0x13.\n\nUma máscara de privilégios por partição (CreatePartitions, AccessMemoryPool, PostMessages, SignalEvents…) decide o que ela pode chamar; só a raiz tem os privilégios de gerenciamento. Quando vários erros se aplicam, ACCESS_DENIED vence, para que quem não tem privilégio não descubra nada sobre objetos que não pode tocar. INSUFFICIENT_MEMORY significa que a raiz precisa depositar páginas no pool do hipervisor (HvCallDepositMemory).',
    },
    inGame: {
      en: 'Nothing on screen shows it yet. The simulated hypervisor checks every hypercall’s privileges and returns these codes as the TLFS says, but no campaign level has a guest that calls what it may not, and the event log does not list each refusal.',
      'pt-BR':
        'Nada na tela mostra isso ainda. O hipervisor simulado confere os privilégios de cada hypercall e devolve esses códigos como a TLFS descreve, mas nenhuma fase da campanha tem um convidado que chame o que não pode, e o registro de eventos não lista cada recusa.',
    },
    seenAt: [{ kind: 'notShown' }],
    sources: [
      {
        key: 'T',
        ref: 'TLFS, HV_STATUS (tlfs/datatypes/hv_status.md) and HV_PARTITION_PRIVILEGE_MASK (tlfs/datatypes/hv_partition_privilege_mask.md)',
      },
      { key: 'L', ref: 'include/asm-generic/hyperv-tlfs.h (HV_STATUS_*)' },
    ],
    related: ['hypercall', 'isolation', 'child-partition'],
  },
  {
    id: 'rep-hypercalls',
    kind: 'mechanic',
    term: { en: 'Rep hypercalls', 'pt-BR': 'Hypercalls rep' },
    summary: {
      en: 'Hypercalls that process a list: they say how many elements they finished, and the caller continues from there.',
      'pt-BR':
        'Hypercalls que processam uma lista: dizem quantos elementos concluíram, e quem chamou continua dali.',
    },
    body: {
      en: 'A rep (repeat) hypercall takes a rep count and a start index and returns the number of reps it completed. Each call aims to return within about 50 µs so the virtual processor stays responsive; if it stopped early, the caller issues it again from the updated start index.',
      'pt-BR':
        'Uma hypercall rep (de repetição) recebe uma contagem e um índice inicial e devolve quantas repetições concluiu. Cada chamada procura voltar em cerca de 50 µs para o processador virtual continuar responsivo; se parou antes, quem chamou a emite de novo a partir do índice atualizado.',
    },
    inGame: {
      en: 'Not drawn. In the simulation the root deposits memory into the hypervisor’s pool with HvCallDepositMemory, a rep call, and WinHv re-issues any rep call that comes back time-sliced. Each call adds to the “hypercalls” counter in the hypervisor strip.',
      'pt-BR':
        'Não são desenhadas. Na simulação, a raiz deposita memória no pool do hipervisor com HvCallDepositMemory, uma chamada rep, e a WinHv repete toda chamada rep que volta fatiada no tempo. Cada chamada entra no contador “hypercalls” da faixa do hipervisor.',
    },
    seenAt: [{ kind: 'board', part: 'counters' }],
    simplification: {
      en: 'The cost per rep is an estimate.',
      'pt-BR': 'O custo por repetição é uma estimativa.',
    },
    sources: [
      HYPERCALLS,
      { key: 'L', ref: 'arch/x86/include/asm/mshyperv.h (hv_do_rep_hypercall)' },
    ],
    related: ['hypercall', 'hypercall-status'],
  },
  {
    // WS manage-hyper-v-scheduler-types.md: classic is the default "on all versions of Hyper-V
    // earlier than Windows Server 2019"; core "schedules groups of guest virtual processors from
    // the same VM onto groups of SMT logical processors", is "optional" on 2016 and the default
    // from 2019; a VM without SMT "consumes the entire core"; 2019+ VMs inherit the host's SMT,
    // 2016 needs -HwThreadCountPerCore; with SMT off "Hyper-V uses the classic scheduler
    // behavior"; root is the client default from Windows 10 1803 and "isn't supported on Hyper-V
    // on Windows Server"; "You must restart the system" for bcdedit changes.
    id: 'scheduler-types',
    kind: 'mechanic',
    term: {
      en: 'Scheduler types: classic, core, root',
      'pt-BR': 'Tipos de escalonador: clássico, core, raiz',
    },
    summary: {
      en: 'Three ways the hypervisor can put virtual processors on logical processors, with different fairness and isolation.',
      'pt-BR':
        'Três formas de o hipervisor colocar processadores virtuais em processadores lógicos, com justiça e isolamento diferentes.',
    },
    body: {
      en: 'Classic: fair-share, preemptive round-robin over all logical processors — the default before Windows Server 2019, Windows Server 2016 included.\n\nCore: virtual processors of one VM are scheduled in groups onto the SMT siblings of a core (in pairs when cores have two threads), and a core is never shared between two VMs; if only one of a pair can run, its sibling stays idle. A VM that is not shown SMT uses a whole core for each virtual processor. New VMs inherit the host’s SMT from Windows Server 2019 on; on Windows Server 2016 it is set with Set-VMProcessor -HwThreadCountPerCore. Optional on Windows Server 2016, core is the default from Windows Server 2019 and a defence against side channels between VMs. With SMT off or absent, it behaves like classic.\n\nRoot: the root partition’s own scheduler places the virtual processors, and per-VM weight, reserve and limit are not honoured. It is the default on Windows client (Windows 10 1803 and later); Windows Server Hyper-V does not support it. The type is chosen with bcdedit /set hypervisorschedulertype and takes effect after a reboot.',
      'pt-BR':
        'Clássico: compartilhamento justo, round-robin preemptivo sobre todos os processadores lógicos — o padrão antes do Windows Server 2019, inclusive no Windows Server 2016.\n\nCore: processadores virtuais de uma mesma VM são escalonados em grupos nos irmãos SMT de um núcleo (em pares quando cada núcleo tem duas threads), e um núcleo nunca é dividido entre duas VMs; se só um do par pode rodar, o irmão dele fica ocioso. Uma VM que não vê SMT usa um núcleo inteiro para cada processador virtual. Desde o Windows Server 2019 as VMs novas herdam o SMT do host; no Windows Server 2016 ele é definido com Set-VMProcessor -HwThreadCountPerCore. Opcional no Windows Server 2016, o core é o padrão desde o Windows Server 2019 e uma defesa contra canais laterais entre VMs. Com SMT desligado ou ausente, funciona como o clássico.\n\nRaiz: o escalonador da própria partição raiz posiciona os processadores virtuais, e peso, reserva e limite por VM não são respeitados. É o padrão no Windows cliente (Windows 10 1803 e posteriores); o Hyper-V do Windows Server não o suporta. O tipo é escolhido com bcdedit /set hypervisorschedulertype e vale depois de reiniciar.',
    },
    inGame: {
      en: 'The grid in the hypervisor strip has one cell per logical processor, lit while a virtual processor runs there — in the root’s colour, or in the VM’s own colour and shape, named in the legend beside the grid; a core whose two threads run two different VMs at once is outlined and marked ≠ — and the same processor lights up in the hardware row. In level 6 (Isolated cores) you pick the “Scheduler type” (classic, core, root) in the host’s inspector.',
      'pt-BR':
        'A grade na faixa do hipervisor tem uma célula por processador lógico, acesa enquanto um processador virtual roda ali — na cor da raiz, ou na cor e na forma da própria VM, nomeadas na legenda ao lado da grade; um núcleo cujas duas threads rodam duas VMs diferentes ao mesmo tempo ganha contorno e a marca ≠ —, e o mesmo processador acende na faixa do hardware. Na fase 6 (Núcleos isolados) você escolhe o “Tipo de escalonador” (classic, core, root) no inspetor do host.',
    },
    seenAt: [
      { kind: 'board', part: 'schedulerGrid' },
      { kind: 'board', part: 'cores' },
      {
        kind: 'field',
        level: '06-isolated-cores',
        control: 'scheduler',
        label: 'play.field.scheduler',
      },
    ],
    simplification: {
      en: 'Hyper-V does not publish its quantum: the game uses 10 ms (an estimate) and a CFS-like wake-up rule. There is no per-VM HwThreadCountPerCore: each VM keeps its host release’s default (shown SMT on Windows Server 2019 and 2022, not on 2016). The game lets you pick root on a server host to compare; a real Windows Server host should not use it. The campaign’s Windows Server 2019 hosts start on classic, as an administrator can set with bcdedit, so that level 6 (Isolated cores) can show what core changes.',
      'pt-BR':
        'O Hyper-V não publica seu quantum: o jogo usa 10 ms (uma estimativa) e uma regra de despertar parecida com a do CFS. Não há HwThreadCountPerCore por VM: cada VM fica com o padrão da versão do host (vê SMT no Windows Server 2019 e 2022, não no 2016). O jogo deixa escolher o raiz num host servidor para comparar; um host Windows Server real não deve usá-lo. Os hosts Windows Server 2019 da campanha começam no clássico, como um administrador pode definir com bcdedit, para que a fase 6 (Núcleos isolados) mostre o que o core muda.',
    },
    sources: [
      SCHEDULER_DOC,
      {
        key: 'WS',
        ref: 'About Hyper-V scheduler type selection (WindowsServerDocs/virtualization/hyper-v/manage/about-hyper-v-scheduler-type-selection.md)',
      },
    ],
    related: ['weight-reserve-limit', 'root-vps', 'hypervisor'],
  },
  {
    id: 'weight-reserve-limit',
    kind: 'mechanic',
    term: { en: 'Weight, reserve and limit', 'pt-BR': 'Peso, reserva e limite' },
    summary: {
      en: 'Per-VM processor settings that share contended CPU, guarantee a floor and set a ceiling.',
      'pt-BR':
        'Configurações de processador por VM que dividem a CPU disputada, garantem um piso e impõem um teto.',
    },
    body: {
      en: 'Relative weight (1–10,000, default 100) shares the CPU when VMs compete. Reserve guarantees a percentage of each virtual processor’s time; limit caps it (both 0–100%). WMI stores reserve and limit as percent × 1,000.\n\nPowerShell: Set-VMProcessor -Count -RelativeWeight -Reserve -Maximum.',
      'pt-BR':
        'O peso relativo (1–10.000, padrão 100) divide a CPU quando as VMs competem. A reserva garante uma porcentagem do tempo de cada processador virtual; o limite impõe um teto (ambos de 0 a 100%). O WMI guarda reserva e limite como porcentagem × 1.000.\n\nPowerShell: Set-VMProcessor -Count -RelativeWeight -Reserve -Maximum.',
    },
    inGame: {
      en: 'In level 5 (Noisy neighbour), select a VM: the inspector has the number fields “Weight”, “Reserve %” and “Limit (maximum) %”. A limit caps a noisy neighbour but does not let anyone go first: to protect a critical VM, raise its weight or give it a reserve.',
      'pt-BR':
        'Na fase 5 (Vizinho barulhento), selecione uma VM: o inspetor tem os campos numéricos “Peso”, “Reserva %” e “Limite (máximo) %”. Um limite contém um vizinho barulhento, mas não faz ninguém passar na frente: para proteger uma VM crítica, aumente o peso dela ou dê a ela uma reserva.',
    },
    seenAt: [
      {
        kind: 'field',
        level: '05-noisy-neighbour',
        control: 'cpuControls',
        label: 'play.field.weight',
      },
      {
        kind: 'field',
        level: '05-noisy-neighbour',
        control: 'cpuControls',
        label: 'play.field.reserve',
      },
      {
        kind: 'field',
        level: '05-noisy-neighbour',
        control: 'cpuControls',
        label: 'play.field.limit',
      },
    ],
    simplification: {
      en: 'Reserve and limit are enforced over 100 ms accounting periods (an estimate, borrowed from Linux CFS bandwidth control).',
      'pt-BR':
        'Reserva e limite são aplicados em períodos de contabilização de 100 ms (uma estimativa, emprestada do controle de banda do CFS no Linux).',
    },
    sources: [
      { key: 'WS', ref: 'Set-VMProcessor (Hyper-V PowerShell module)' },
      SCHEDULER_DOC,
      { key: 'WS', ref: 'Hyper-V WMI provider (V2): Msvm_ProcessorSettingData' },
    ],
    related: ['scheduler-types', 'wmi'],
  },
  {
    // WS manage-hyper-v-minroot-2016.md: "A host VP will always run on the same underlying LP";
    // "By default, the LPs on which host VPs run can also run guest VPs"; minroot runs root and
    // guest work "on separate subsets of the system processors"; "The system must be rebooted".
    // The model agrees: core/scheduler/scheduler.pinning.test.ts ("guest VPs also run on LPs that
    // have a pinned root VP").
    id: 'root-vps',
    kind: 'mechanic',
    term: {
      en: 'Root virtual processors and minroot',
      'pt-BR': 'Processadores virtuais da raiz e minroot',
    },
    summary: {
      en: 'The root runs on its own virtual processors, pinned one-to-one to logical processors; how many it gets is a trade-off.',
      'pt-BR':
        'A raiz roda nos seus próprios processadores virtuais, fixos um a um em processadores lógicos; quantos ela recebe é uma escolha com custos.',
    },
    body: {
      en: 'Root virtual processors are pinned 1:1 to logical processors; guest virtual processors float, and by default they also run on the logical processors that hold root VPs while the root is idle. Minroot limits how many logical processors the root uses (bcdedit /set hypervisorrootproc, after a reboot), so the others run guests only. The root never sees more than its release allows: 320 logical processors on Windows Server 2016 and 2019, 1,024 on Windows Server 2022.\n\nBut the root must keep enough CPU for the VSPs, the worker processes and management, or every VM’s I/O slows down.',
      'pt-BR':
        'Os processadores virtuais da raiz ficam fixos 1:1 em processadores lógicos; os dos convidados flutuam e, por padrão, também rodam nos processadores lógicos que têm VPs da raiz enquanto a raiz está ociosa. O minroot limita quantos processadores lógicos a raiz usa (bcdedit /set hypervisorrootproc, depois de reiniciar), e os outros rodam só convidados. A raiz nunca vê mais do que a sua versão permite: 320 processadores lógicos no Windows Server 2016 e 2019, 1.024 no Windows Server 2022.\n\nMas a raiz precisa manter CPU suficiente para os VSPs, os processos de trabalho e o gerenciamento, senão a E/S de todas as VMs fica lenta.',
    },
    inGame: {
      en: 'In level 4 (The root works too), select the host: “Root VPs (minroot)” sizes the root. Too few and the VSPs fall behind; more than it needs buys nothing, and a root VP with work takes its logical processor from whatever guest runs there.',
      'pt-BR':
        'Na fase 4 (A raiz também trabalha), selecione o host: “VPs da raiz (minroot)” dimensiona a raiz. Poucos demais e os VSPs ficam para trás; mais do que precisa não rende nada, e um VP da raiz com trabalho toma seu processador lógico do convidado que estiver nele.',
    },
    seenAt: [
      {
        kind: 'field',
        level: '04-the-root-works-too',
        control: 'rootVps',
        label: 'play.field.rootVps',
      },
    ],
    sources: [
      {
        key: 'WS',
        ref: 'Hyper-V Host CPU Resource Management, minroot (WindowsServerDocs/virtualization/hyper-v/manage/manage-hyper-v-minroot-2016.md)',
      },
      SCHEDULER_DOC,
      SCALE_DOC,
    ],
    related: ['root-partition', 'scheduler-types', 'vsp'],
  },
  {
    id: 'dynamic-memory',
    kind: 'mechanic',
    term: { en: 'Dynamic Memory', 'pt-BR': 'Memória Dinâmica' },
    summary: {
      en: 'The host moves memory between running VMs as their demand changes, between each VM’s minimum and maximum.',
      'pt-BR':
        'O host move memória entre VMs em execução conforme a demanda muda, entre o mínimo e o máximo de cada VM.',
    },
    body: {
      en: 'A VM with Dynamic Memory starts with its startup memory (at least its Minimum) and can grow up to its Maximum. Buffer (5–2,000%) is the extra the host tries to keep above the guest’s demand; the memory priority (0–100) decides who wins when memory is short. The guest reports its pressure every second.\n\nDynamic Memory and virtual NUMA are mutually exclusive. PowerShell: Set-VMMemory -DynamicMemoryEnabled -MinimumBytes -StartupBytes -MaximumBytes -Buffer -Priority.',
      'pt-BR':
        'Uma VM com Memória Dinâmica começa com a memória inicial (pelo menos o Mínimo) e pode crescer até o Máximo. O buffer (5–2.000%) é a folga que o host tenta manter acima da demanda do convidado; a prioridade de memória (0–100) decide quem ganha quando falta memória. O convidado informa sua pressão a cada segundo.\n\nMemória Dinâmica e NUMA virtual são mutuamente exclusivos. PowerShell: Set-VMMemory -DynamicMemoryEnabled -MinimumBytes -StartupBytes -MaximumBytes -Buffer -Priority.',
    },
    inGame: {
      en: 'In level 7 (Memory pressure), select a VM and turn “Dynamic Memory” on: fields for its minimum, maximum, buffer and priority appear. Once per simulated second the host rebalances, and the event log says what it ballooned or hot-added. No bar draws a VM’s memory.',
      'pt-BR':
        'Na fase 7 (Pressão de memória), selecione uma VM e ligue a “Memória Dinâmica”: aparecem campos de mínimo, máximo, buffer e prioridade. Uma vez por segundo simulado o host reequilibra, e o registro de eventos diz quanto o “balão tomou” ou quanto veio por “adição a quente (hot-added)”. Nenhuma barra desenha a memória de uma VM.',
    },
    seenAt: [
      {
        kind: 'field',
        level: '07-memory-pressure',
        control: 'memory',
        label: 'play.field.dynamic',
      },
      {
        kind: 'log',
        level: '07-memory-pressure',
        text: { en: 'ballooned', 'pt-BR': 'balão tomou' },
      },
      {
        kind: 'log',
        level: '07-memory-pressure',
        text: { en: 'hot-added', 'pt-BR': 'adição a quente (hot-added)' },
      },
    ],
    simplification: {
      en: 'Microsoft does not publish the balancer’s algorithm. The game follows the documented inputs (pressure, buffer, memory priority) and ignores corrections under 1% of the target (an estimate).',
      'pt-BR':
        'A Microsoft não publica o algoritmo do balanceador. O jogo segue as entradas documentadas (pressão, buffer, prioridade de memória) e ignora correções menores que 1% do alvo (uma estimativa).',
    },
    sources: [DM_DOC, BALLOON],
    related: ['ballooning', 'hot-add', 'paging'],
  },
  {
    id: 'ballooning',
    kind: 'mechanic',
    term: { en: 'Ballooning', 'pt-BR': 'Balão de memória' },
    summary: {
      en: 'The host takes memory back from a running guest by having the guest’s balloon driver hand pages over.',
      'pt-BR':
        'O host recupera memória de um convidado em execução fazendo o driver de balão do convidado entregar páginas.',
    },
    body: {
      en: 'To reclaim memory, the host asks the guest’s balloon driver to allocate pages and report them; the guest can no longer use them and the host can give them to another VM. Unballooning gives them back. The memory installed in the guest — what it believes it has — never shrinks.',
      'pt-BR':
        'Para recuperar memória, o host pede ao driver de balão do convidado que aloque páginas e as informe; o convidado não pode mais usá-las e o host pode entregá-las a outra VM. Desinflar o balão as devolve. A memória instalada no convidado — o que ele acredita ter — nunca diminui.',
    },
    inGame: {
      en: 'In level 7 (Memory pressure), with Dynamic Memory on, the event log’s “ballooned … MiB (assigned … MiB)” lines are the host taking memory back from dayshift as its load falls; the objective “No VM pages more than 300 MB to disk” shows whether a guest then pages.',
      'pt-BR':
        'Na fase 7 (Pressão de memória), com a Memória Dinâmica ligada, as linhas “balão tomou … MiB (ballooned; atribuídos … MiB)” do registro de eventos são o host tomando memória de volta de dayshift quando a carga dela cai; o objetivo “Nenhuma VM pagina mais de 300 MB em disco” mostra se algum convidado passa a paginar.',
    },
    seenAt: [
      {
        kind: 'log',
        level: '07-memory-pressure',
        text: { en: 'ballooned', 'pt-BR': 'balão tomou' },
      },
      { kind: 'objective', level: '07-memory-pressure', metric: 'pagingMB' },
    ],
    sources: [
      { key: 'L', ref: 'drivers/hv/hv_balloon.c (DM_BALLOON_REQUEST, DM_UNBALLOON_REQUEST)' },
      DM_DOC,
    ],
    related: ['dynamic-memory', 'hot-add', 'paging'],
  },
  {
    id: 'hot-add',
    kind: 'mechanic',
    term: { en: 'Memory hot-add', 'pt-BR': 'Adição de memória a quente' },
    summary: {
      en: 'When a guest needs more memory than it has ever had, the host adds memory to it while it runs.',
      'pt-BR':
        'Quando um convidado precisa de mais memória do que já teve, o host adiciona memória a ele em funcionamento.',
    },
    body: {
      en: 'Hot-add gives the guest new physical address space. Linux guests take it in 128 MB chunks (HA_CHUNK). Memory added this way can later be ballooned back, but not unplugged.',
      'pt-BR':
        'A adição a quente dá ao convidado novo espaço de endereçamento físico. Convidados Linux a recebem em blocos de 128 MB (HA_CHUNK). A memória adicionada assim pode depois ser recuperada pelo balão, mas não removida.',
    },
    inGame: {
      en: 'In level 7 (Memory pressure), when nightshift needs more memory than it was ever given, the event log says “hot-added … MiB of installed memory”, always in steps of 128 MiB.',
      'pt-BR':
        'Na fase 7 (Pressão de memória), quando nightshift precisa de mais memória do que já teve, o registro de eventos diz “adição a quente (hot-added) de … MiB de memória instalada”, sempre em passos de 128 MiB.',
    },
    seenAt: [
      {
        kind: 'log',
        level: '07-memory-pressure',
        text: { en: 'hot-added', 'pt-BR': 'adição a quente (hot-added)' },
      },
      {
        kind: 'log',
        level: '07-memory-pressure',
        text: { en: 'MiB of installed memory', 'pt-BR': 'MiB de memória instalada' },
      },
    ],
    sources: [{ key: 'L', ref: 'drivers/hv/hv_balloon.c (HA_CHUNK, hot_add_req)' }, DM_DOC],
    related: ['dynamic-memory', 'ballooning'],
  },
  {
    id: 'paging',
    kind: 'mechanic',
    term: {
      en: 'Guest paging under memory pressure',
      'pt-BR': 'Paginação do convidado sob pressão de memória',
    },
    summary: {
      en: 'A guest without enough memory evicts pages to disk and reads them back, turning memory pressure into storage I/O.',
      'pt-BR':
        'Um convidado sem memória suficiente despeja páginas no disco e as lê de volta, transformando pressão de memória em E/S de armazenamento.',
    },
    body: {
      en: 'When a guest’s working set no longer fits, it writes pages to its page file and reads them back on demand. That is extra I/O on its virtual disk — through the same storage path as everything else — and the workload stalls while it waits.',
      'pt-BR':
        'Quando o conjunto de trabalho do convidado não cabe mais, ele grava páginas no arquivo de paginação e as lê de volta quando precisa. Isso é E/S extra no disco virtual — pelo mesmo caminho de armazenamento de todo o resto — e a carga de trabalho fica parada esperando.',
    },
    inGame: {
      en: 'In level 7 (Memory pressure), a VM with less memory than its working set pages: its page-ins and page-outs share its disk channel with the workload, its sparkline drops, and the objective “No VM pages more than 300 MB to disk” counts the megabytes.',
      'pt-BR':
        'Na fase 7 (Pressão de memória), uma VM com menos memória do que o seu conjunto de trabalho pagina: as leituras e gravações de página dividem o canal de disco com a carga, o gráfico dela cai, e o objetivo “Nenhuma VM pagina mais de 300 MB em disco” conta os megabytes.',
    },
    seenAt: [
      { kind: 'objective', level: '07-memory-pressure', metric: 'pagingMB' },
      { kind: 'board', part: 'sparkline' },
    ],
    simplification: {
      en: 'A statistical model, all estimates: a busy guest touches a fifth of its working set per second; pages are read in clusters of 8 and written in clusters of 16; a third of evicted pages are dirty; each read stalls the workload for about 100 µs; slowdown stops at 20×.',
      'pt-BR':
        'Um modelo estatístico, todo feito de estimativas: um convidado ocupado toca um quinto do seu conjunto de trabalho por segundo; páginas são lidas em grupos de 8 e gravadas em grupos de 16; um terço das páginas despejadas está suja; cada leitura trava a carga por cerca de 100 µs; a lentidão para em 20×.',
    },
    sources: [{ key: 'L', ref: 'Documentation/admin-guide/sysctl/vm.rst (page-cluster)' }, DM_DOC],
    related: ['dynamic-memory', 'ballooning', 'io-stack'],
  },
  {
    id: 'sr-iov',
    kind: 'mechanic',
    term: { en: 'SR-IOV', 'pt-BR': 'SR-IOV' },
    expansion: {
      en: 'Single Root I/O Virtualization',
      'pt-BR': 'Virtualização de E/S de Raiz Única',
    },
    summary: {
      en: 'A physical NIC exposes virtual functions that a guest can use directly, bypassing the root’s virtual switch.',
      'pt-BR':
        'Uma NIC física expõe funções virtuais que um convidado pode usar diretamente, sem passar pelo switch virtual da raiz.',
    },
    body: {
      en: 'The host offers a virtual function (VF) to the guest; the guest moves its data path to the VF and keeps the synthetic netvsc path as a fallback — for instance while the VF is removed during live migration.',
      'pt-BR':
        'O host oferece uma função virtual (VF) ao convidado; o convidado passa o caminho de dados para a VF e mantém o caminho sintético do netvsc como reserva — por exemplo enquanto a VF é removida durante uma migração ao vivo.',
    },
    inGame: {
      en: 'Nothing on screen shows it yet: no campaign level has a NIC with SR-IOV. The simulation models it — netvsp’s sriov setting offers the VF to a guest when a level file marks the NIC sriov — and traffic on the VF then costs no root CPU.',
      'pt-BR':
        'Nada na tela mostra isso ainda: nenhuma fase da campanha tem uma NIC com SR-IOV. A simulação modela o recurso — a opção sriov do netvsp oferece a VF ao convidado quando um arquivo de fase marca a NIC com sriov — e o tráfego na VF então não custa CPU da raiz.',
    },
    seenAt: [{ kind: 'notShown' }],
    simplification: {
      en: 'The VF’s own driver and the IOMMU are not modelled: traffic on a VF costs no root CPU and takes the NIC’s latency and bandwidth.',
      'pt-BR':
        'O driver da própria VF e a IOMMU não são modelados: o tráfego numa VF não custa CPU da raiz e tem a latência e a banda da NIC.',
    },
    sources: [
      {
        key: 'L',
        ref: 'Documentation/networking/device_drivers/ethernet/microsoft/netvsc.rst (SR-IOV support)',
      },
      { key: 'O', ref: 'vm/devices/net/netvsp' },
      {
        key: 'WS',
        ref: 'Plan for Hyper-V networking in Windows Server (WindowsServerDocs/virtualization/hyper-v/plan/plan-hyper-v-networking-in-windows-server.md)',
      },
    ],
    related: ['vsp', 'root-partition'],
  },
  {
    id: 'monitor-pages',
    kind: 'mechanic',
    term: {
      en: 'Monitor pages and batched signalling',
      'pt-BR': 'Páginas de monitoração e sinalização agrupada',
    },
    summary: {
      en: 'Instead of one hypercall per signal, a guest sets a bit in a shared page that the hypervisor scans periodically.',
      'pt-BR':
        'Em vez de uma hypercall por sinal, o convidado liga um bit numa página compartilhada que o hipervisor varre periodicamente.',
    },
    body: {
      en: 'Setting a monitor-page bit is one memory write: no exit, no hypercall. The hypervisor scans the page and signals the host for the guest, a batch at a time. It trades latency (on the order of 100 µs) for far fewer hypercalls and interrupts; latency-sensitive channels opt out.',
      'pt-BR':
        'Ligar um bit da página de monitoração é uma escrita na memória: sem saída, sem hypercall. O hipervisor varre a página e sinaliza o host pelo convidado, em lote. Troca latência (da ordem de 100 µs) por muito menos hypercalls e interrupções; canais sensíveis à latência não usam.',
    },
    inGame: {
      en: 'In level 8 (Interrupt storm), each VSC’s “Signalling” choice is a per-channel switch: batched channels go through the monitor page and cost far fewer interrupts but answer later; low-latency ones signal at once.',
      'pt-BR':
        'Na fase 8 (Tempestade de interrupções), a opção “Sinalização” de cada VSC é uma chave por canal: os canais em agrupada (batched) passam pela página de monitoração e custam muito menos interrupções, mas respondem mais tarde; os em imediata (low-latency) sinalizam na hora.',
    },
    seenAt: [
      {
        kind: 'field',
        level: '08-interrupt-storm',
        control: 'channelSettings',
        label: 'play.field.signalling',
      },
    ],
    simplification: {
      en: 'The hypervisor scans the monitor page every 100 µs; the signals it sends the host for the guest are not the guest’s hypercalls, so they count neither in the guest’s hypercalls nor toward interrupt throttling.',
      'pt-BR':
        'O hipervisor varre a página de monitoração a cada 100 µs; os sinais que ele envia ao host pelo convidado não são hypercalls do convidado, então não contam nem nas hypercalls dele nem para o estrangulamento de interrupções.',
    },
    sources: [
      {
        key: 'L',
        ref: 'include/linux/hyperv.h (struct hv_monitor_page), drivers/hv/channel.c (vmbus_set_event)',
      },
      { key: 'O', ref: 'vm/devices/vmbus/vmbus_server (monitor page)' },
    ],
    related: ['signalling', 'interrupt-throttling', 'synic'],
  },
  {
    id: 'interrupt-throttling',
    kind: 'mechanic',
    term: { en: 'Interrupt throttling', 'pt-BR': 'Estrangulamento de interrupções' },
    summary: {
      en: 'A guest that floods the host with unnecessary signals is suspended for a few seconds.',
      'pt-BR':
        'Um convidado que inunda o host de sinais desnecessários é suspenso por alguns segundos.',
    },
    body: {
      en: 'The host expects a guest to signal only when an outgoing ring goes from empty to non-empty. Other signals are unnecessary; a guest that sends an excessive number of them may be throttled — its execution suspended for a few seconds — to prevent a denial of service.',
      'pt-BR':
        'O host espera que o convidado só sinalize quando um anel de saída passa de vazio para não vazio. Os outros sinais são desnecessários; um convidado que envia um número excessivo deles pode ser estrangulado — sua execução suspensa por alguns segundos — para evitar uma negação de serviço.',
    },
    inGame: {
      en: 'Nothing on screen shows it yet: no campaign level has a guest that floods the host with signals. The simulation models it: a level file can give a VM the hostile attack signal-flood, and the event log then says “channel throttled — guest flooded unnecessary interrupts; suspended until … ms” while that VM’s virtual processors are suspended for 2 s.',
      'pt-BR':
        'Nada na tela mostra isso ainda: nenhuma fase da campanha tem um convidado que inunde o host de sinais. A simulação modela o recurso: um arquivo de fase pode dar a uma VM o ataque hostil signal-flood, e o registro de eventos então diz “canal estrangulado (throttled) — o convidado inundou o host de interrupções desnecessárias; suspenso até … ms” enquanto os processadores virtuais dessa VM ficam suspensos por 2 s.',
    },
    seenAt: [{ kind: 'notShown' }],
    simplification: {
      en: 'Microsoft publishes only “a few seconds”. The window (1 s), the threshold (10,000 unnecessary signals in it) and the suspension (2 s) are estimates.',
      'pt-BR':
        'A Microsoft só publica “alguns segundos”. A janela (1 s), o limiar (10.000 sinais desnecessários nela) e a suspensão (2 s) são estimativas.',
    },
    sources: [VMBUS_RST, OPENVMM_RING],
    related: ['signalling', 'monitor-pages'],
  },
  {
    id: 'isolation',
    kind: 'mechanic',
    term: { en: 'Isolation and the GPADL boundary', 'pt-BR': 'Isolamento e a fronteira do GPADL' },
    summary: {
      en: 'A VSP may touch only the guest memory granted to its channel, and must treat every byte there as hostile.',
      'pt-BR':
        'Um VSP só pode tocar a memória do convidado concedida ao seu canal, e precisa tratar cada byte ali como hostil.',
    },
    body: {
      en: 'A VSP may read and write only the pages of its channel’s GPADLs and the ranges named by the current packet. Everything in shared memory is controlled by the guest and may change under the VSP’s feet, so a correct VSP copies first, then validates: indices inside the ring, lengths consistent, known packet types only.\n\nOn a bad packet the channel stops: that VM’s device dies and the host keeps running. Real VSPs run in the root kernel, so a parsing bug there can compromise the whole host — CVE-2021-28476, in the virtual switch and reachable from a guest through VMBus, was rated CVSS 9.9.',
      'pt-BR':
        'Um VSP só pode ler e escrever as páginas dos GPADLs do seu canal e as faixas citadas pelo pacote atual. Tudo na memória compartilhada é controlado pelo convidado e pode mudar sob os pés do VSP, então um VSP correto primeiro copia, depois valida: índices dentro do anel, tamanhos coerentes, só tipos de pacote conhecidos.\n\nDiante de um pacote ruim o canal para: o dispositivo daquela VM morre e o host continua. VSPs reais rodam no kernel da raiz, então um defeito de análise ali pode comprometer o host inteiro — a CVE-2021-28476, no switch virtual e alcançável a partir de um convidado pelo VMBus, recebeu nota CVSS 9,9.',
    },
    inGame: {
      en: 'In level 11 (Hostile guest), guest13 sends malformed packets. An isolation breach — a VSP touching memory it was not granted — fails the objective “Nothing reaches outside the memory a guest granted”, and with it the level.',
      'pt-BR':
        'Na fase 11 (Convidado hostil), guest13 envia pacotes malformados. Uma quebra de isolamento — um VSP tocando memória que não lhe foi concedida — reprova o objetivo “Nada alcança fora da memória que o convidado concedeu”, e com ele a fase.',
    },
    seenAt: [{ kind: 'objective', level: '11-hostile-guest', metric: 'isolationFaults' }],
    sources: [
      {
        key: 'L',
        ref: 'Documentation/virt/hyperv/vmbus.rst (validating messages in a private copy)',
      },
      { key: 'O', ref: 'vm/devices/vmbus/vmbus_ring (packet validation)' },
      { key: 'CVE', ref: 'CVE-2021-28476, Hyper-V Remote Code Execution Vulnerability (MSRC)' },
    ],
    related: ['gpadl', 'vsp', 'hypercall-status'],
  },
  {
    id: 'generations',
    kind: 'mechanic',
    term: { en: 'Generation 1 and generation 2 VMs', 'pt-BR': 'VMs de geração 1 e geração 2' },
    summary: {
      en: 'Generation 1 VMs have emulated legacy hardware; generation 2 VMs have only synthetic devices.',
      'pt-BR':
        'VMs de geração 1 têm hardware legado emulado; VMs de geração 2 têm apenas dispositivos sintéticos.',
    },
    body: {
      en: 'Generation 1 boots from BIOS on emulated devices: IDE, the legacy network adapter, S3 video, PS/2. Generation 2 boots UEFI from synthetic SCSI or the network adapter, supports Secure Boot and has no emulated devices, which reduces the attack surface. A guest that only knows old hardware needs generation 1.\n\nWith integration components, a generation 1 guest still boots from a disk on its IDE controller, but reaches it over VMBus: the IDE accelerator, a channel storvsp offers with the class GUID 32412632-86cb-44a2-9b5c-50d1417354f5 (HV_IDE_GUID). storvsc binds it as it binds a synthetic SCSI controller, class GUID ba6163d9-04a1-4d29-b605-72e2ffb1dc7f: the same protocol, but a single channel, without subchannels.\n\nThe generation also caps the VM’s size. A generation 1 VM has at most 64 virtual processors and 1 TB of memory on any host. A generation 2 VM gets what the host’s release allows: 240 virtual processors and 12 TB on Windows Server 2016 and 2019, 1,024 and 240 TB on Windows Server 2022.',
      'pt-BR':
        'A geração 1 inicia por BIOS em dispositivos emulados: IDE, o adaptador de rede legado, vídeo S3, PS/2. A geração 2 inicia por UEFI a partir do SCSI sintético ou do adaptador de rede, aceita Inicialização Segura e não tem dispositivos emulados, o que reduz a superfície de ataque. Um convidado que só conhece hardware antigo precisa da geração 1.\n\nCom componentes de integração, um convidado de geração 1 ainda inicia por um disco na sua controladora IDE, mas chega a ele pelo VMBus: o acelerador IDE, um canal que o storvsp oferece com o GUID de classe 32412632-86cb-44a2-9b5c-50d1417354f5 (HV_IDE_GUID). O storvsc se liga a ele como se liga a uma controladora SCSI sintética, GUID de classe ba6163d9-04a1-4d29-b605-72e2ffb1dc7f: o mesmo protocolo, mas um só canal, sem subcanais.\n\nA geração também limita o tamanho da VM. Uma VM de geração 1 tem no máximo 64 processadores virtuais e 1 TB de memória em qualquer host. Uma VM de geração 2 recebe o que a versão do host permite: 240 processadores virtuais e 12 TB no Windows Server 2016 e 2019, 1.024 e 240 TB no Windows Server 2022.',
    },
    inGame: {
      en: 'A VM’s inspector shows its generation (“gen 1” or “gen 2”); the game does not change it. In level 3 (Legacy guest), old01 is generation 1: with integration components on and its disk connected, the disk’s inspector shows the offer’s class GUID HV_IDE_GUID, and the event log’s offer line ends with “the IDE accelerator”.',
      'pt-BR':
        'O inspetor de uma VM mostra a geração dela (“geração 1” ou “geração 2”); o jogo não a muda. Na fase 3 (Convidado legado), old01 é de geração 1: com os componentes de integração ligados e o disco conectado, o inspetor do disco mostra o GUID de classe da oferta, HV_IDE_GUID, e a linha da oferta no registro de eventos termina com “o acelerador IDE”.',
    },
    seenAt: [
      {
        kind: 'log',
        level: '03-legacy-guest',
        text: { en: 'the IDE accelerator', 'pt-BR': 'o acelerador IDE' },
      },
    ],
    simplification: {
      en: 'Firmware is not modelled; a guest’s boot is compressed to 20 ms either way. A generation 1 VM boots from its first disk, on IDE; its other disks go on a synthetic SCSI controller, never on the other IDE locations.',
      'pt-BR':
        'O firmware não é modelado; a inicialização do convidado é comprimida em 20 ms nos dois casos. Uma VM de geração 1 inicia pelo seu primeiro disco, no IDE; os outros discos ficam numa controladora SCSI sintética, nunca nas outras posições IDE.',
    },
    sources: [
      GEN_DOC,
      SCALE_DOC,
      {
        key: 'L',
        ref: 'include/linux/hyperv.h (HV_IDE_GUID, HV_SCSI_GUID), drivers/scsi/storvsc_drv.c',
      },
      { key: 'O', ref: 'vm/devices/storage/storvsp/src/lib.rs (StorageDevice::build_ide)' },
    ],
    related: ['synthetic-vs-emulated', 'vmwp', 'ic'],
  },
  {
    id: 'channel-lifecycle',
    kind: 'mechanic',
    term: {
      en: 'Channel offers, opening and rescind',
      'pt-BR': 'Ofertas, abertura e revogação de canais',
    },
    summary: {
      en: 'How a synthetic device appears to a guest, gets its rings and can disappear at any time.',
      'pt-BR':
        'Como um dispositivo sintético aparece para o convidado, recebe seus anéis e pode sumir a qualquer momento.',
    },
    body: {
      en: 'The guest’s VMBus driver connects (INITIATE_CONTACT → VERSION_RESPONSE) and asks for offers (REQUESTOFFERS → one OFFERCHANNEL per device → ALLOFFERS_DELIVERED). For each device it creates a GPADL for the rings and opens the channel (OPENCHANNEL → OPENCHANNEL_RESULT).\n\nThe host may rescind an offer at any time (device hot-remove). Offers can arrive after boot and in a different order each time.',
      'pt-BR':
        'O driver VMBus do convidado se conecta (INITIATE_CONTACT → VERSION_RESPONSE) e pede as ofertas (REQUESTOFFERS → um OFFERCHANNEL por dispositivo → ALLOFFERS_DELIVERED). Para cada dispositivo, cria um GPADL para os anéis e abre o canal (OPENCHANNEL → OPENCHANNEL_RESULT).\n\nO host pode revogar uma oferta a qualquer momento (remoção a quente). Ofertas podem chegar depois da inicialização e em ordem diferente a cada vez.',
    },
    inGame: {
      en: 'The event log follows it from level 1 (First partition) on: “channel registered — …” when the VM starts and its VSP’s offer waits with the host, “channel offered — … (class GUID …)” for each OFFERCHANNEL once the guest has booted and asked, “VMBus connected (version … agreed)” with ALLOFFERS_DELIVERED, then “channel opened — … (relid …, target VP …)” when OPENCHANNEL_RESULT comes back successful. The two-note chime when you connect a VSC to a VSP marks your build step, not the protocol.',
      'pt-BR':
        'O registro de eventos acompanha isso desde a fase 1 (Primeira partição): “canal registrado — …” quando a VM inicia e a oferta do seu VSP aguarda no host, “canal ofertado — … (GUID de classe …)” para cada OFFERCHANNEL depois que o convidado inicializou e pediu, “VMBus conectado (versão … acordada)” com o ALLOFFERS_DELIVERED, depois “canal aberto — … (relid …, VP de destino …)” quando o OPENCHANNEL_RESULT volta com sucesso. O som de duas notas ao ligar um VSC a um VSP marca a sua montagem, não o protocolo.',
    },
    seenAt: [
      {
        kind: 'log',
        level: '01-first-partition',
        text: { en: 'channel offered —', 'pt-BR': 'canal ofertado —' },
      },
      {
        kind: 'log',
        level: '01-first-partition',
        text: { en: 'channel registered —', 'pt-BR': 'canal registrado —' },
      },
      {
        kind: 'log',
        level: '01-first-partition',
        text: { en: 'channel opened —', 'pt-BR': 'canal aberto —' },
      },
    ],
    sources: [
      {
        key: 'L',
        ref: 'drivers/hv/channel_mgmt.c, include/linux/hyperv.h (enum vmbus_channel_message_type)',
      },
      { key: 'O', ref: 'vm/devices/vmbus/vmbus_core/src/protocol.rs' },
      SYNIC,
    ],
    related: ['vmbus', 'gpadl', 'synic'],
  },
  {
    id: 'subchannels',
    kind: 'mechanic',
    term: { en: 'Sub-channels and queue depth', 'pt-BR': 'Subcanais e profundidade de fila' },
    summary: {
      en: 'Fast devices open extra channels so requests spread over several rings and processors.',
      'pt-BR':
        'Dispositivos rápidos abrem canais extras para espalhar as requisições por vários anéis e processadores.',
    },
    body: {
      en: 'After initialising, storvsc asks for (vCPUs − 1) / 4 sub-channels: about one storage channel per four virtual processors. Each 128 KiB ring holds about 352 outstanding requests, and the guest’s queue depth is about 352 × (sub-channels + 1) × 90%. Longer queues and better spread gave 2.2× the throughput in one published storvsc tuning.',
      'pt-BR':
        'Depois de inicializar, o storvsc pede (vCPUs − 1) / 4 subcanais: cerca de um canal de armazenamento para cada quatro processadores virtuais. Cada anel de 128 KiB comporta cerca de 352 requisições pendentes, e a profundidade de fila do convidado fica em torno de 352 × (subcanais + 1) × 90%. Filas mais longas e melhor distribuição renderam 2,2× a vazão num ajuste publicado do storvsc.',
    },
    inGame: {
      en: 'In level 9 (Ring full), set the storage VSP’s maxSubchannels to -1 (one per four vCPUs): the event log then shows bigdb’s scsi0 offered and opened again, once per subchannel, each on its own target VP (“target VP 2”, “target VP 3”…). The board keeps one lane per device.',
      'pt-BR':
        'Na fase 9 (Anel cheio), ponha o maxSubchannels do VSP de armazenamento em -1 (um para cada quatro vCPUs): o registro de eventos então mostra o scsi0 de bigdb ofertado e aberto de novo, uma vez por subcanal, cada um no seu VP de destino (“VP de destino 2”, “VP de destino 3”…). A tela continua com uma pista por dispositivo.',
    },
    seenAt: [
      {
        kind: 'vspSetting',
        level: '09-ring-full',
        plugin: 'hyperkata.storvsp',
        setting: 'maxSubchannels',
      },
      {
        kind: 'log',
        level: '09-ring-full',
        text: { en: 'target VP 2', 'pt-BR': 'VP de destino 2' },
      },
    ],
    sources: [
      { key: 'L', ref: 'drivers/scsi/storvsc_drv.c (sub-channel count, ring size, queue depth)' },
      { key: 'O', ref: 'vm/devices/storage/storvsp' },
    ],
    related: ['vmbus-ring-buffer', 'flow-control', 'vsc'],
  },
];
