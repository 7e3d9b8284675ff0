/**
 * The glossary of the seed article (which translates the glossary of Microsoft's "Hyper-V
 * Architecture" page), one entry per term, explained for a player and tied to public sources.
 */
import type { CodexEntry } from './types.js';

const SEED = {
  key: 'SEED',
  ref: 'section “Arquitetura de Alto Nível Hyper-V” (its glossary)',
} as const;
const VD = {
  key: 'VD',
  ref: 'MicrosoftDocs/Virtualization-Documentation: virtualization/hyper-v-on-windows/reference/hyper-v-architecture.md',
} as const;

export const GLOSSARY: readonly CodexEntry[] = [
  {
    id: 'apic',
    kind: 'glossary',
    seedTerm: 'APIC',
    term: { en: 'APIC', 'pt-BR': 'APIC' },
    expansion: {
      en: 'Advanced Programmable Interrupt Controller',
      'pt-BR': 'Controlador de Interrupção Programável Avançado',
    },
    summary: {
      en: 'The interrupt controller of each x86 processor: it accepts interrupts and delivers them in priority order.',
      'pt-BR':
        'O controlador de interrupções de cada processador x86: recebe interrupções e as entrega por ordem de prioridade.',
    },
    body: {
      en: 'Every logical processor has a local APIC that queues interrupts, ranks them by priority and is told when one is finished (end of interrupt, EOI).\n\nHyper-V gives each virtual processor a virtual APIC. Its SynIC extends that APIC with 16 synthetic interrupt sources (SINTs): this is how VMBus messages and channel signals reach a guest. Enlightened guests reach the APIC’s EOI, ICR and TPR registers through synthetic MSRs instead of trapping on memory-mapped registers.',
      'pt-BR':
        'Cada processador lógico tem um APIC local que enfileira interrupções, as ordena por prioridade e é avisado quando uma termina (fim de interrupção, EOI).\n\nO Hyper-V dá a cada processador virtual um APIC virtual. O SynIC estende esse APIC com 16 fontes de interrupção sintéticas (SINTs): é assim que mensagens e sinais de canais VMBus chegam a um convidado. Convidados “iluminados” acessam os registradores EOI, ICR e TPR do APIC por MSRs sintéticos, em vez de causar interceptações em registradores mapeados em memória.',
    },
    inGame: {
      en: 'No APIC is drawn on screen. The “interrupts” counter in the hypervisor strip adds up every interrupt of the run — VMBus signals and emulated devices — and each one costs CPU time on the processor that takes it. In level 8 (Interrupt storm) the objective “The host takes at most 33,000 interrupts in the run” puts a ceiling on them.',
      'pt-BR':
        'Nenhum APIC é desenhado na tela. O contador “interrupções” na faixa do hipervisor soma todas as interrupções da execução — sinais do VMBus e dispositivos emulados —, e cada uma custa tempo de CPU no processador que a recebe. Na fase 8 (Tempestade de interrupções), o objetivo “O host recebe no máximo 33.000 interrupções na execução” põe um teto nelas.',
    },
    seenAt: [
      { kind: 'board', part: 'counters' },
      { kind: 'objective', level: '08-interrupt-storm', metric: 'interrupts' },
    ],
    simplification: {
      en: 'Priority levels are not modelled: an interrupt is a fixed piece of work (about 1 µs, an estimate) queued on the target virtual processor. The virtual APIC keeps only what its synthetic MSRs reach: the vector in service until an EOI write (Linux guests take VMBus interrupts with auto-EOI and never write it), a task priority that is stored but holds nothing back, and IPIs sent through the ICR, which stay requested on the target because no guest handler runs for them.',
      'pt-BR':
        'Níveis de prioridade não são modelados: uma interrupção é um trabalho fixo (cerca de 1 µs, uma estimativa) enfileirado no processador virtual de destino. O APIC virtual guarda só o que seus MSRs sintéticos alcançam: o vetor em serviço até uma escrita de EOI (convidados Linux recebem as interrupções do VMBus com auto-EOI e nunca a fazem), uma prioridade de tarefa que é guardada mas não retém nada, e IPIs enviados pelo ICR, que ficam pendentes no destino porque nenhum tratador do convidado roda para eles.',
    },
    sources: [
      { key: 'T', ref: 'TLFS, Virtual Interrupt Controller (tlfs/virtual-interrupts.md)' },
      VD,
      SEED,
    ],
    related: ['synic', 'msr', 'signalling'],
  },
  {
    id: 'child-partition',
    kind: 'glossary',
    seedTerm: 'Child partition',
    term: { en: 'Child partition', 'pt-BR': 'Partição filha' },
    summary: {
      en: 'A partition that hosts a guest operating system — what Hyper-V Manager calls a virtual machine.',
      'pt-BR':
        'Uma partição que hospeda um sistema operacional convidado — o que o Gerenciador do Hyper-V chama de máquina virtual.',
    },
    body: {
      en: 'The root creates child partitions through hypercalls (HvCallCreatePartition, reached through VID and WinHv). A child has no direct access to physical memory or devices. The hypervisor maps its memory, and each of its devices is either synthetic — a VSC talking over VMBus to a VSP in the root — or emulated, with every access intercepted and handled by the VM’s worker process in the root.\n\nA child also lacks the privileges to create partitions or manage memory pools: the hypervisor answers such calls with ACCESS_DENIED.',
      'pt-BR':
        'A raiz cria partições filhas por hypercalls (HvCallCreatePartition, chamada pelo VID e pela WinHv). Uma filha não tem acesso direto à memória física nem aos dispositivos. O hipervisor mapeia sua memória, e cada dispositivo dela é sintético — um VSC falando pelo VMBus com um VSP na raiz — ou emulado, com cada acesso interceptado e tratado pelo processo de trabalho da VM na raiz.\n\nUma filha também não tem privilégio para criar partições nem gerenciar pools de memória: o hipervisor responde a essas chamadas com ACCESS_DENIED.',
    },
    inGame: {
      en: 'Each box in the top band, under “Child partitions”, is a child partition: its name and guest OS, a sparkline of the I/O it completes, a ring bar and one chip per device. Select the box to see its virtual processors and memory in the inspector.',
      'pt-BR':
        'Cada caixa da faixa de cima, sob “Partições filhas”, é uma partição filha: o nome e o SO convidado, um gráfico das E/S que ela conclui, uma barra do anel e um chip por dispositivo. Selecione a caixa para ver os processadores virtuais e a memória dela no inspetor.',
    },
    seenAt: [
      { kind: 'board', part: 'children' },
      { kind: 'board', part: 'sparkline' },
      { kind: 'board', part: 'ring' },
      { kind: 'board', part: 'vscs' },
    ],
    simplification: {
      en: 'A guest is modelled as workloads that issue I/O and use CPU, not as a whole operating system. Its boot is compressed to 20 ms of simulated time so that short levels spend their time on the workload.',
      'pt-BR':
        'Um convidado é modelado como cargas de trabalho que fazem E/S e usam CPU, não como um sistema operacional inteiro. Sua inicialização é comprimida em 20 ms de tempo simulado para que fases curtas gastem o tempo com a carga de trabalho.',
    },
    sources: [
      {
        key: 'T',
        ref: 'TLFS, Partition Properties and HV_PARTITION_PRIVILEGE_MASK (tlfs/partition-properties.md, tlfs/datatypes/hv_partition_privilege_mask.md)',
      },
      VD,
      SEED,
    ],
    related: ['root-partition', 'vsc', 'synthetic-vs-emulated', 'hypercall-status'],
  },
  {
    id: 'hypercall',
    kind: 'glossary',
    seedTerm: 'Hypercall',
    term: { en: 'Hypercall', 'pt-BR': 'Hypercall' },
    summary: {
      en: 'A call from a partition into the hypervisor — a system call one level further down.',
      'pt-BR':
        'Uma chamada de uma partição ao hipervisor — uma chamada de sistema um nível mais abaixo.',
    },
    body: {
      en: 'A guest first detects Hyper-V (the CPUID hypervisor leaves, interface signature “Hv#1”), writes its guest OS ID MSR and enables the hypercall page. Then it calls the hypervisor with a call code, a “fast” flag and, for rep calls, a rep count and start index. It gets back a status code (HV_STATUS_SUCCESS, HV_STATUS_ACCESS_DENIED…) and the number of reps completed.\n\nOnly kernel code (CPL 0) may call; the input must be 8-byte aligned and must not cross a page boundary.',
      'pt-BR':
        'O convidado primeiro detecta o Hyper-V (as folhas CPUID do hipervisor, assinatura de interface “Hv#1”), escreve o MSR de identificação do SO convidado e habilita a página de hypercall. Depois chama o hipervisor com um código de chamada, um indicador “fast” e, nas chamadas rep, uma contagem e um índice inicial. Recebe de volta um código de status (HV_STATUS_SUCCESS, HV_STATUS_ACCESS_DENIED…) e quantas repetições foram concluídas.\n\nSó código de kernel (CPL 0) pode chamar; a entrada precisa estar alinhada em 8 bytes e não pode cruzar uma fronteira de página.',
    },
    inGame: {
      en: 'VMBus signals (HvCallSignalEvent), posted messages (HvCallPostMessage) and the root’s management calls are hypercalls. The “hypercalls” counter in the hypervisor strip adds up those of the whole host, and each one costs CPU.',
      'pt-BR':
        'Sinais do VMBus (HvCallSignalEvent), mensagens postadas (HvCallPostMessage) e as chamadas de gerenciamento da raiz são hypercalls. O contador “hypercalls” na faixa do hipervisor soma as de todo o host, e cada uma custa CPU.',
    },
    seenAt: [{ kind: 'board', part: 'counters' }],
    simplification: {
      en: 'Costs are estimates (about 1 µs per call on current hardware). Codes, privileges, alignment and reps are checked as the TLFS describes; the register-level calling convention is not modelled.',
      'pt-BR':
        'Os custos são estimativas (cerca de 1 µs por chamada em hardware atual). Códigos, privilégios, alinhamento e repetições são verificados como a TLFS descreve; a convenção de chamada em registradores não é modelada.',
    },
    sources: [
      { key: 'T', ref: 'TLFS, Hypercall Interface (tlfs/hypercall-interface.md)' },
      {
        key: 'L',
        ref: 'arch/x86/hyperv/hv_init.c (hypercall page), include/asm-generic/hyperv-tlfs.h (call and status codes)',
      },
      VD,
      SEED,
    ],
    related: ['hypercall-status', 'rep-hypercalls', 'winhv', 'msr'],
  },
  {
    id: 'hypervisor',
    kind: 'glossary',
    seedTerm: 'Hypervisor',
    term: { en: 'Hypervisor', 'pt-BR': 'Hipervisor' },
    summary: {
      en: 'The thin layer under every operating system on the machine; it divides the hardware into isolated partitions.',
      'pt-BR':
        'A camada fina sob todos os sistemas operacionais da máquina; ela divide o hardware em partições isoladas.',
    },
    body: {
      en: 'Hyper-V is a type-1, microkernelized hypervisor. It schedules virtual processors, maps partition memory and routes interrupts, but it holds no device drivers: those live in the root partition, so no third-party code runs inside the hypervisor.\n\nEvery partition asks it for services through hypercalls, and it enforces who may do what with a privilege mask per partition.',
      'pt-BR':
        'O Hyper-V é um hipervisor tipo 1, microkernelizado. Ele escalona processadores virtuais, mapeia a memória das partições e roteia interrupções, mas não contém drivers de dispositivo: eles ficam na partição raiz, então nenhum código de terceiros roda dentro do hipervisor.\n\nToda partição pede serviços a ele por hypercalls, e ele controla quem pode fazer o quê com uma máscara de privilégios por partição.',
    },
    inGame: {
      en: 'The strip between the root partition and the hardware. Its grid has one cell per logical processor, lit while a virtual processor runs there, and its counters add up the run’s hypercalls, interrupts and intercepts. The hypercall dispatcher and the SynIC work inside the simulation but are not drawn.',
      'pt-BR':
        'A faixa entre a partição raiz e o hardware. A grade dela tem uma célula por processador lógico, acesa enquanto um processador virtual roda ali, e os contadores somam as hypercalls, as interrupções e as interceptações da execução. O despachante de hypercalls e o SynIC funcionam dentro da simulação, mas não são desenhados.',
    },
    seenAt: [
      { kind: 'board', part: 'hypervisor' },
      { kind: 'board', part: 'schedulerGrid' },
      { kind: 'board', part: 'counters' },
    ],
    simplification: {
      en: 'The hypervisor’s own CPU time is folded into the estimated cost of each call and exit it handles.',
      'pt-BR':
        'O tempo de CPU do próprio hipervisor está embutido no custo estimado de cada chamada e saída que ele trata.',
    },
    sources: [
      { key: 'T', ref: 'TLFS, Introduction and Partitions (tlfs/tlfs.md)' },
      {
        key: 'WS',
        ref: 'Hyper-V Technology Overview (WindowsServerDocs/virtualization/hyper-v/Hyper-V-Technology-Overview.md)',
      },
      VD,
      SEED,
    ],
    related: ['root-partition', 'child-partition', 'hypercall', 'scheduler-types'],
  },
  {
    // WS Manage-Hyper-V-integration-services.md: Windows guests get integration services updates
    // "from Windows Update"; "vmguest.iso isn't included ... because it's no longer needed";
    // "Linux guests using current kernels will receive the latest integration components when
    // you update the kernel". WS generation 1 or 2 doc: generation 2 has no emulated devices.
    id: 'ic',
    kind: 'glossary',
    seedTerm: 'IC',
    term: { en: 'IC', 'pt-BR': 'IC' },
    expansion: { en: 'Integration components', 'pt-BR': 'Componentes de integração' },
    summary: {
      en: 'The enlightened drivers and services a guest needs to use VMBus instead of emulated hardware.',
      'pt-BR':
        'Os drivers e serviços “iluminados” de que um convidado precisa para usar o VMBus em vez de hardware emulado.',
    },
    body: {
      en: 'Integration components (Hyper-V Integration Services) bring the VSCs — synthetic storage (storvsc), network (netvsc), video and input — and services such as heartbeat, time sync, shutdown, key-value exchange and the Dynamic Memory balloon driver.\n\nCurrent Windows and Linux kernels ship them built in (Linux: hv_vmbus, hv_storvsc, hv_netvsc, hv_balloon, hv_utils). Linux guests update them with the kernel; Windows guests on a Windows Server 2016 or later host update them through Windows Update, with no vmguest.iso to insert. A guest without them can only use emulated devices, which only a generation 1 VM has.',
      'pt-BR':
        'Os componentes de integração (Serviços de Integração do Hyper-V) trazem os VSCs — armazenamento sintético (storvsc), rede (netvsc), vídeo e entrada — e serviços como pulsação (heartbeat), sincronização de horário, desligamento, troca de pares chave-valor e o driver de balão da Memória Dinâmica.\n\nKernels atuais do Windows e do Linux já vêm com eles (Linux: hv_vmbus, hv_storvsc, hv_netvsc, hv_balloon, hv_utils). Convidados Linux os atualizam com o kernel; convidados Windows num host Windows Server 2016 ou mais novo os atualizam pelo Windows Update, sem vmguest.iso para inserir. Um convidado sem eles só pode usar dispositivos emulados, que só uma VM de geração 1 tem.',
    },
    inGame: {
      en: 'In level 3 (Legacy guest), old01 has no ICs. Select the VM: its “Integration components” switch in the inspector installs them. Then connect its disk to the storage VSP for the synthetic path — or leave them off, and the disk stays emulated.',
      'pt-BR':
        'Na fase 3 (Convidado legado), old01 não tem ICs. Selecione a VM: a opção “Componentes de integração” no inspetor os instala. Depois ligue o disco dela ao VSP de armazenamento para seguir pelo caminho sintético — ou deixe-os desligados, e o disco continua emulado.',
    },
    seenAt: [
      {
        kind: 'field',
        level: '03-legacy-guest',
        control: 'integrationComponents',
        label: 'play.field.ic',
      },
    ],
    simplification: {
      en: 'Installing ICs is a switch in the game; on a real host it is a package or a kernel with the drivers, and a reboot. Windows Server 2008 R2 and later ship integration components in the box, so a real old01 (level 3) would already have an older set; the game leaves them out to show a guest that has none.',
      'pt-BR':
        'Instalar ICs é um interruptor no jogo; num host real é um pacote ou um kernel com os drivers, e uma reinicialização. O Windows Server 2008 R2 e os posteriores já vêm com componentes de integração, então um old01 real (fase 3) já teria uma versão mais antiga deles; o jogo os deixa de fora para mostrar um convidado que não tem nenhum.',
    },
    sources: [
      {
        key: 'WS',
        ref: 'Manage Hyper-V Integration Services (WindowsServerDocs/virtualization/hyper-v/manage/Manage-Hyper-V-integration-services.md)',
      },
      {
        key: 'L',
        ref: 'drivers/hv/hv_util.c (heartbeat, time sync, shutdown), drivers/hv/hv_balloon.c',
      },
      VD,
      SEED,
    ],
    related: ['vsc', 'vmbus', 'synthetic-vs-emulated', 'generations'],
  },
  {
    id: 'io-stack',
    kind: 'glossary',
    seedTerm: 'I/O stack',
    term: { en: 'I/O stack', 'pt-BR': 'Pilha de E/S' },
    expansion: { en: 'Input/output stack', 'pt-BR': 'Pilha de entrada/saída' },
    summary: {
      en: 'The layers a read or write passes through, from the application down to the device and back.',
      'pt-BR':
        'As camadas por onde passa uma leitura ou escrita, da aplicação até o dispositivo e de volta.',
    },
    body: {
      en: 'In a child partition with integration components: application → file system → block layer → storvsc (the VSC) → VMBus ring → storvsp (the VSP) in the root → the root’s storage stack and real driver → disk. The completion travels back the same way.\n\nWithout ICs, the guest’s IDE driver touches I/O ports. Each access traps to the hypervisor, goes to the root as an intercept message and is emulated by the VM’s worker process (VMWP). Every layer costs CPU, and which partition pays for it is at the heart of the game.',
      'pt-BR':
        'Numa partição filha com componentes de integração: aplicação → sistema de arquivos → camada de blocos → storvsc (o VSC) → anel do VMBus → storvsp (o VSP) na raiz → pilha de armazenamento e driver real da raiz → disco. A conclusão volta pelo mesmo caminho.\n\nSem ICs, o driver IDE do convidado acessa portas de E/S. Cada acesso é interceptado pelo hipervisor, vai para a raiz como mensagem de interceptação e é emulado pelo processo de trabalho da VM (VMWP). Cada camada custa CPU, e qual partição paga por ela está no centro do jogo.',
    },
    inGame: {
      en: 'Each device of a VM is a chip at the bottom of its box. Connected to a VSP, its requests take the VMBus lane down to the root (VSC → ring → VSP → disk); left emulated, a thin line runs into the VM’s VMWP instead, and every register access is an intercept, counted by the hypervisor strip’s “intercepts” counter. Level 3 (Legacy guest) has you try both.',
      'pt-BR':
        'Cada dispositivo de uma VM é um chip na base da caixa dela. Ligado a um VSP, suas requisições descem pela pista do VMBus até a raiz (VSC → anel → VSP → disco); se fica emulado, uma linha fina vai até o VMWP da VM, e cada acesso a registrador é uma interceptação, somada pelo contador “interceptações” da faixa do hipervisor. A fase 3 (Convidado legado) faz você experimentar os dois.',
    },
    seenAt: [
      { kind: 'board', part: 'vscs' },
      { kind: 'board', part: 'lanes' },
      { kind: 'board', part: 'vmwp' },
      { kind: 'level', level: '03-legacy-guest' },
    ],
    simplification: {
      en: 'File systems and caches are not modelled: a workload sends block or network operations straight to the device stack, with an estimated guest CPU cost per request.',
      'pt-BR':
        'Sistemas de arquivos e caches não são modelados: a carga de trabalho envia operações de bloco ou de rede direto à pilha do dispositivo, com um custo estimado de CPU do convidado por requisição.',
    },
    sources: [
      { key: 'L', ref: 'drivers/scsi/storvsc_drv.c' },
      { key: 'O', ref: 'vm/devices/storage/storvsp' },
      VD,
      SEED,
    ],
    related: ['vsc', 'vsp', 'vmwp', 'synthetic-vs-emulated'],
  },
  {
    id: 'msr',
    kind: 'glossary',
    seedTerm: 'MSR',
    term: { en: 'MSR', 'pt-BR': 'MSR' },
    expansion: { en: 'Model-specific register', 'pt-BR': 'Registrador específico do modelo' },
    summary: {
      en: 'An x86 processor register read with RDMSR and written with WRMSR; Hyper-V defines synthetic ones as its control panel for guests.',
      'pt-BR':
        'Um registrador do processador x86 lido com RDMSR e escrito com WRMSR; o Hyper-V define MSRs sintéticos como o painel de controle dos convidados.',
    },
    body: {
      en: 'The article Hyperkata is based on, like the Microsoft page it translates, expands MSR as “Memory Service Routine”. In the hypervisor’s own specification (the TLFS) and in every Hyper-V driver, MSR means model-specific register, and that is the meaning the game uses.\n\nA guest writes HV_X64_MSR_GUEST_OS_ID to identify itself and HV_X64_MSR_HYPERCALL to enable the hypercall page, and it sets up its SynIC through SCONTROL, SIMP, SIEFP, EOM and SINT0–SINT15. With the AccessIntrCtrlRegs privilege it also reaches its virtual APIC’s EOI, ICR and TPR through HV_X64_MSR_EOI, HV_X64_MSR_ICR and HV_X64_MSR_TPR (0x40000070–0x40000072); without it they raise #GP. Each access to a synthetic MSR traps into the hypervisor.',
      'pt-BR':
        'O artigo que deu origem ao Hyperkata, como a página da Microsoft que ele traduz, expande MSR como “Rotina de Serviço de Memória”. Na especificação do próprio hipervisor (a TLFS) e em todo driver do Hyper-V, MSR significa registrador específico do modelo, e é esse o sentido que o jogo usa.\n\nO convidado escreve HV_X64_MSR_GUEST_OS_ID para se identificar e HV_X64_MSR_HYPERCALL para habilitar a página de hypercall, e configura seu SynIC por SCONTROL, SIMP, SIEFP, EOM e SINT0–SINT15. Com o privilégio AccessIntrCtrlRegs, também acessa os registradores EOI, ICR e TPR do seu APIC virtual por HV_X64_MSR_EOI, HV_X64_MSR_ICR e HV_X64_MSR_TPR (0x40000070–0x40000072); sem ele, esses acessos geram #GP. Cada acesso a um MSR sintético causa uma saída para o hipervisor.',
    },
    inGame: {
      en: 'No part of the screen shows MSRs. As a guest with integration components boots, it writes its synthetic MSRs (guest OS ID, hypercall page, SynIC pages) and unmasks the VMBus SINT; the event log then says “booted (enlightened: VMBus starting)”. In level 3 (Legacy guest), old01 starts without them and says “no integration components: emulated devices only”.',
      'pt-BR':
        'Nenhuma parte da tela mostra os MSRs. Quando um convidado com componentes de integração inicia, ele escreve seus MSRs sintéticos (ID do SO convidado, página de hypercall, páginas do SynIC) e desmascara o SINT do VMBus; o registro de eventos então diz “inicializou (iluminado: VMBus iniciando)”. Na fase 3 (Convidado legado), old01 começa sem eles e diz “sem componentes de integração: só dispositivos emulados”.',
    },
    seenAt: [
      {
        kind: 'log',
        level: '03-legacy-guest',
        text: {
          en: 'booted (enlightened: VMBus starting)',
          'pt-BR': 'inicializou (iluminado: VMBus iniciando)',
        },
      },
      {
        kind: 'log',
        level: '03-legacy-guest',
        text: {
          en: 'no integration components: emulated devices only',
          'pt-BR': 'sem componentes de integração: só dispositivos emulados',
        },
        solution: 'naive',
      },
    ],
    simplification: {
      en: 'Each synthetic MSR access costs an estimated light exit; other MSRs are not modelled.',
      'pt-BR':
        'Cada acesso a MSR sintético custa uma saída leve estimada; os outros MSRs não são modelados.',
    },
    sources: [
      {
        key: 'T',
        ref: 'TLFS, Feature Discovery (tlfs/feature-discovery.md) and SynIC MSRs (tlfs/inter-partition-communication.md)',
      },
      { key: 'L', ref: 'arch/x86/include/asm/hyperv-tlfs.h (HV_X64_MSR_*)' },
      VD,
      SEED,
    ],
    related: ['synic', 'hypercall', 'apic'],
  },
  {
    id: 'root-partition',
    kind: 'glossary',
    seedTerm: 'Root partition',
    term: { en: 'Root partition', 'pt-BR': 'Partição raiz' },
    expansion: {
      en: 'also called the parent partition',
      'pt-BR': 'também chamada de partição pai',
    },
    summary: {
      en: 'The first partition, running Windows Server: it owns the real devices and the virtualization stack.',
      'pt-BR':
        'A primeira partição, rodando Windows Server: ela possui os dispositivos reais e a pilha de virtualização.',
    },
    body: {
      en: 'The root manages machine-level functions — device drivers, power management, device hot add and remove — and is the only partition with direct access to physical memory and devices.\n\nIt runs VMMS and one VMWP per VM in user mode, and VID, WinHv, the VMBus server and the VSPs in its kernel. Its virtual processors are pinned to logical processors, and every VSP packet and every emulated access is paid for with its CPU.',
      'pt-BR':
        'A raiz gerencia funções da máquina — drivers de dispositivo, gerenciamento de energia, adição e remoção a quente de dispositivos — e é a única partição com acesso direto à memória física e aos dispositivos.\n\nEla roda o VMMS e um VMWP por VM em modo usuário, e o VID, a WinHv, o servidor VMBus e os VSPs no seu kernel. Seus processadores virtuais ficam fixos em processadores lógicos, e cada pacote de VSP e cada acesso emulado é pago com a CPU dela.',
    },
    inGame: {
      en: 'The middle band, “Root partition”: VMMS, one VMWP per VM and the VSPs. Its CPU shows as grid cells in its colour and as “Root CPU” in the results; in level 4 (The root works too) the objective “The root partition is not saturated (≤ 85% CPU)” watches it. Synthetic I/O costs it a little per packet, emulated I/O a lot per access.',
      'pt-BR':
        'A faixa do meio, “Partição raiz”: VMMS, um VMWP por VM e os VSPs. A CPU dela aparece nas células da grade com a cor dela e como “CPU da raiz” nos resultados; na fase 4 (A raiz também trabalha), o objetivo “A partição raiz não fica saturada (≤ 85% de CPU)” fica de olho nela. E/S sintética custa pouco a ela por pacote, E/S emulada custa muito por acesso.',
    },
    seenAt: [
      { kind: 'board', part: 'root' },
      { kind: 'board', part: 'schedulerGrid' },
      { kind: 'objective', level: '04-the-root-works-too', metric: 'rootCpuPercent' },
    ],
    simplification: {
      en: 'Root services are modelled as CPU work on the root’s processors with estimated costs; the rest of Windows Server is not simulated.',
      'pt-BR':
        'Os serviços da raiz são modelados como trabalho de CPU nos processadores dela, com custos estimados; o resto do Windows Server não é simulado.',
    },
    sources: [
      {
        key: 'T',
        ref: 'TLFS, HV_PARTITION_PRIVILEGE_MASK: only the root holds CreatePartitions (tlfs/datatypes/hv_partition_privilege_mask.md)',
      },
      {
        key: 'WS',
        ref: 'Hyper-V Technology Overview (WindowsServerDocs/virtualization/hyper-v/Hyper-V-Technology-Overview.md)',
      },
      VD,
      SEED,
    ],
    related: ['root-vps', 'vmms', 'vmwp', 'vsp', 'vid'],
  },
  {
    id: 'vid',
    kind: 'glossary',
    seedTerm: 'VID',
    term: { en: 'VID', 'pt-BR': 'VID' },
    expansion: {
      en: 'Virtualization Infrastructure Driver',
      'pt-BR': 'Driver de Infraestrutura de Virtualização',
    },
    summary: {
      en: 'The root’s kernel driver that manages partitions, virtual processors and partition memory for the rest of the stack.',
      'pt-BR':
        'O driver de kernel da raiz que gerencia partições, processadores virtuais e a memória das partições para o resto da pilha.',
    },
    body: {
      en: 'VMMS and the worker processes do not call the hypervisor themselves: VID (vid.sys) does it for them, through WinHv. It creates partitions and virtual processors, deposits memory into the hypervisor’s pool, maps guest physical pages, and delivers the intercepts of emulated devices to the right worker process.',
      'pt-BR':
        'O VMMS e os processos de trabalho não chamam o hipervisor diretamente: o VID (vid.sys) faz isso por eles, pela WinHv. Ele cria partições e processadores virtuais, deposita memória no pool do hipervisor, mapeia páginas físicas do convidado e entrega as interceptações dos dispositivos emulados ao processo de trabalho certo.',
    },
    inGame: {
      en: 'VID is not drawn. It works when a VM starts — between the event log’s “is Starting” and “is Running” lines it creates the partition and its virtual processors — and when a legacy guest touches an emulated port, which it hands to the VM’s VMWP: the thin line from old01’s disk to its VMWP in level 3 (Legacy guest).',
      'pt-BR':
        'O VID não é desenhado. Ele trabalha quando uma VM inicia — entre as linhas “está iniciando (Starting)” e “está em execução (Running)” do registro de eventos, ele cria a partição e os processadores virtuais dela — e quando um convidado legado acessa uma porta emulada, que ele entrega ao VMWP da VM: a linha fina do disco de old01 até o VMWP dela na fase 3 (Convidado legado).',
    },
    seenAt: [
      {
        kind: 'log',
        level: '03-legacy-guest',
        text: { en: 'is Starting', 'pt-BR': 'está iniciando (Starting)' },
        solution: 'naive',
      },
      {
        kind: 'log',
        level: '03-legacy-guest',
        text: { en: 'is Running', 'pt-BR': 'está em execução (Running)' },
        solution: 'naive',
      },
      { kind: 'board', part: 'vmwp' },
    ],
    simplification: {
      en: 'VID is a thin router in the model; its own work is part of the estimated intercept and start-up costs.',
      'pt-BR':
        'O VID é um roteador fino no modelo; o trabalho dele faz parte dos custos estimados de interceptação e de início.',
    },
    sources: [
      {
        key: 'T',
        ref: 'TLFS, partition management hypercalls (tlfs/hypercalls/HvCallCreatePartition.md, HvCallDepositMemory.md)',
      },
      VD,
      SEED,
    ],
    related: ['winhv', 'vmms', 'vmwp', 'root-partition'],
  },
  {
    // L ring_buffer.c hv_ringbuffer_write / HYPERV.md rule 4: signal only if interrupt_mask == 0
    // AND the ring was empty before this write.
    id: 'vmbus',
    kind: 'glossary',
    seedTerm: 'VMBus',
    term: { en: 'VMBus', 'pt-BR': 'VMBus' },
    expansion: { en: 'Virtual Machine Bus', 'pt-BR': 'Barramento de Máquina Virtual' },
    summary: {
      en: 'The channel-based bus partitions use to talk to each other: device offers, shared-memory rings and signals.',
      'pt-BR':
        'O barramento baseado em canais que as partições usam para conversar: ofertas de dispositivos, anéis em memória compartilhada e sinais.',
    },
    body: {
      en: 'The root’s VMBus server offers each synthetic device to the guest as a channel, identified by a class GUID and an instance GUID. The guest’s VMBus driver shares pages with the root through a GPADL and opens the channel: two ring buffers, one per direction.\n\nControl messages travel as SynIC messages; data goes through the rings, with a signal only when a ring goes from empty to non-empty and its reader has not masked interrupts. VMBus is installed with the Hyper-V integration services.',
      'pt-BR':
        'O servidor VMBus da raiz oferece cada dispositivo sintético ao convidado como um canal, identificado por um GUID de classe e um GUID de instância. O driver VMBus do convidado compartilha páginas com a raiz por um GPADL e abre o canal: dois buffers em anel, um por direção.\n\nMensagens de controle viajam como mensagens do SynIC; os dados passam pelos anéis, com um sinal só quando um anel passa de vazio para não vazio e o leitor não mascarou as interrupções. O VMBus é instalado com os serviços de integração do Hyper-V.',
    },
    inGame: {
      en: 'The lanes between the partitions. In level 1 (First partition) you build the first one: drag a VSC onto the VSP of its class (or press Enter on each), the lane is drawn, and during the run packets travel along it.',
      'pt-BR':
        'As pistas entre as partições. Na fase 1 (Primeira partição) você monta a primeira: arraste um VSC até o VSP da sua classe (ou tecle Enter em cada um); a pista aparece e, durante a execução, os pacotes viajam por ela.',
    },
    seenAt: [
      { kind: 'board', part: 'lanes' },
      { kind: 'level', level: '01-first-partition' },
    ],
    simplification: {
      en: 'Rings hold real bytes in the real layout. How long a packet takes is simulated from CPU costs (estimates), not measured.',
      'pt-BR':
        'Os anéis guardam bytes reais no leiaute real. Quanto tempo um pacote leva é simulado a partir de custos de CPU (estimativas), não medido.',
    },
    sources: [
      {
        key: 'L',
        ref: 'Documentation/virt/hyperv/vmbus.rst, drivers/hv/channel_mgmt.c, drivers/hv/vmbus_drv.c',
      },
      { key: 'O', ref: 'vm/devices/vmbus/vmbus_server/src/channels.rs' },
      VD,
      SEED,
    ],
    related: ['vmbus-ring-buffer', 'channel-lifecycle', 'gpadl', 'vsc', 'vsp'],
  },
  {
    id: 'vmms',
    kind: 'glossary',
    seedTerm: 'VMMS',
    term: { en: 'VMMS', 'pt-BR': 'VMMS' },
    expansion: {
      en: 'Virtual Machine Management Service',
      'pt-BR': 'Serviço de Gerenciamento de Máquinas Virtuais',
    },
    summary: {
      en: 'The root’s service that manages the state of every virtual machine.',
      'pt-BR': 'O serviço da raiz que gerencia o estado de todas as máquinas virtuais.',
    },
    body: {
      en: 'vmms.exe keeps each VM’s configuration and state (off, starting, running…) and starts one worker process per running VM. It exposes the WMI API that Hyper-V Manager and PowerShell use — Set-VMProcessor, Set-VMMemory and the rest. It also carries out Suspend-VM (the VM’s virtual processors stop being scheduled), Resume-VM, Stop-VM (the guest shuts down through its integration services, closing its VMBus channels) Stop-VM -TurnOff (the partition is deleted at once, as if the plug were pulled) and Save-VM: the virtual processors stop, the I/O already at the host finishes, the worker process writes the VM’s memory to its saved-state file and the host gets that memory back. Start-VM on a saved VM takes the memory again (only if the host still has it), reads it back and lets the guest continue where it was, without booting.',
      'pt-BR':
        'O vmms.exe guarda a configuração e o estado de cada VM (desligada, iniciando, em execução…) e inicia um processo de trabalho por VM em execução. Ele expõe a API WMI usada pelo Gerenciador do Hyper-V e pelo PowerShell — Set-VMProcessor, Set-VMMemory e os demais. Também executa Suspend-VM (os processadores virtuais da VM deixam de ser escalonados), Resume-VM, Stop-VM (o convidado desliga pelos seus serviços de integração, fechando seus canais VMBus) Stop-VM -TurnOff (a partição é excluída na hora, como se o cabo fosse puxado) e Save-VM: os processadores virtuais param, a E/S que já está no host termina, o processo de trabalho grava a memória da VM no arquivo de estado salvo e o host recebe essa memória de volta. Start-VM numa VM salva toma a memória de novo (só se o host ainda a tiver), lê o estado de volta e deixa o convidado continuar de onde estava, sem dar boot.',
    },
    inGame: {
      en: 'The VMMS box in the root partition, wired to every VM’s VMWP: it starts them, and from level 1 (First partition) on the event log’s “is Starting”, “is Running” and “heartbeat OK” lines are its own. For each setting you change, the inspector shows the PowerShell line an administrator would send it.',
      'pt-BR':
        'A caixa VMMS na partição raiz, ligada ao VMWP de cada VM: é ela que os inicia, e desde a fase 1 (Primeira partição) as linhas “está iniciando (Starting)”, “está em execução (Running)” e “heartbeat OK” do registro de eventos são dela. Para cada configuração que você muda, o inspetor mostra a linha de PowerShell que um administrador enviaria a ela.',
    },
    seenAt: [
      { kind: 'board', part: 'vmms' },
      {
        kind: 'log',
        level: '01-first-partition',
        text: { en: 'is Starting', 'pt-BR': 'está iniciando (Starting)' },
      },
      {
        kind: 'log',
        level: '01-first-partition',
        text: { en: 'is Running', 'pt-BR': 'está em execução (Running)' },
      },
      {
        kind: 'log',
        level: '01-first-partition',
        text: { en: 'heartbeat OK', 'pt-BR': 'heartbeat OK' },
      },
    ],
    simplification: {
      en: 'State changes are instant except starting a worker process, which is compressed from about a second to 2 ms of simulated time.',
      'pt-BR':
        'As mudanças de estado são instantâneas, exceto iniciar um processo de trabalho, comprimido de cerca de um segundo para 2 ms de tempo simulado.',
    },
    sources: [
      { key: 'WS', ref: 'Hyper-V PowerShell module: Set-VMProcessor, Set-VMMemory' },
      VD,
      SEED,
    ],
    related: ['vmwp', 'wmi', 'root-partition'],
  },
  {
    // The worker process runs in the root partition (VD hyper-v-architecture.md: "A user mode
    // component of the virtualization stack", serving guests "from ... the parent partition"): user mode limits what a bug there
    // reaches, but the root is still the root — it is not a sandbox outside the host.
    id: 'vmwp',
    kind: 'glossary',
    seedTerm: 'VMWP',
    term: { en: 'VMWP', 'pt-BR': 'VMWP' },
    expansion: {
      en: 'Virtual Machine Worker Process',
      'pt-BR': 'Processo de Trabalho da Máquina Virtual',
    },
    summary: {
      en: 'The per-VM user-mode process in the root that emulates its VM’s legacy devices.',
      'pt-BR':
        'O processo em modo usuário, um por VM, que emula na raiz os dispositivos legados da VM.',
    },
    body: {
      en: 'VMMS starts one vmwp.exe for each running VM. It holds the VM’s virtual motherboard: emulated IDE, the legacy network adapter (a DEC 21140), S3 video, the PS/2 keyboard and mouse. When a guest touches one of their I/O ports, the hypervisor intercepts the access and VID delivers it to this process, which runs the device model and completes the access.\n\nBecause it runs in user mode, a bug there stays inside one VM’s process, with that process’s limited rights, where a bug in a VSP would be in the root kernel. It is still code running in the root partition, though: a guest that takes over its worker process has escaped its VM.',
      'pt-BR':
        'O VMMS inicia um vmwp.exe para cada VM em execução. Ele contém a placa-mãe virtual da VM: IDE emulado, o adaptador de rede legado (um DEC 21140), vídeo S3, teclado e mouse PS/2. Quando o convidado acessa uma das portas de E/S deles, o hipervisor intercepta o acesso e o VID o entrega a esse processo, que executa o modelo do dispositivo e conclui o acesso.\n\nComo roda em modo usuário, um defeito ali fica dentro do processo de uma VM, com os direitos limitados desse processo, enquanto um defeito num VSP estaria no kernel da raiz. Ainda assim é código rodando na partição raiz: um convidado que domina o seu processo de trabalho escapou da VM.',
    },
    inGame: {
      en: 'One VMWP box per VM in the root, under its VM; an emulated device’s thin line runs into it. Its work is root CPU: in level 3 (Legacy guest) the objective “The root partition uses at most 20% of its CPU” fails while old01’s disk is emulated.',
      'pt-BR':
        'Uma caixa VMWP por VM na raiz, embaixo da VM; a linha fina de um dispositivo emulado chega nela. O trabalho dela é CPU da raiz: na fase 3 (Convidado legado), o objetivo “A partição raiz usa no máximo 20% da sua CPU” falha enquanto o disco de old01 é emulado.',
    },
    seenAt: [
      { kind: 'board', part: 'vmwp' },
      { kind: 'objective', level: '03-legacy-guest', metric: 'rootCpuPercent' },
    ],
    simplification: {
      en: 'Each emulated access costs about 10 µs of root CPU before the device model’s own work (an estimate: published measurements put emulated accesses in the tens of µs). Starting the process is compressed to 2 ms.',
      'pt-BR':
        'Cada acesso emulado custa cerca de 10 µs de CPU da raiz antes do trabalho do próprio modelo do dispositivo (uma estimativa: medições publicadas colocam acessos emulados na casa das dezenas de µs). O início do processo é comprimido em 2 ms.',
    },
    sources: [
      {
        key: 'T',
        ref: 'TLFS, intercepts and HvMessageTypeX64IoPortIntercept (tlfs/datatypes/hv_message_type.md)',
      },
      {
        key: 'WS',
        ref: 'Should I create a generation 1 or 2 virtual machine in Hyper-V? (WindowsServerDocs/virtualization/hyper-v/plan/Should-I-create-a-generation-1-or-2-virtual-machine-in-Hyper-V.md)',
      },
      VD,
      SEED,
    ],
    related: ['synthetic-vs-emulated', 'vid', 'vmms', 'generations'],
  },
  {
    id: 'vsc',
    kind: 'glossary',
    seedTerm: 'VSC',
    term: { en: 'VSC', 'pt-BR': 'VSC' },
    expansion: {
      en: 'Virtualization Service Client',
      'pt-BR': 'Cliente de Serviço de Virtualização',
    },
    summary: {
      en: 'A synthetic device driver in the child partition that forwards I/O over VMBus to a VSP.',
      'pt-BR':
        'Um driver de dispositivo sintético na partição filha que encaminha E/S pelo VMBus até um VSP.',
    },
    body: {
      en: 'storvsc, netvsc and the synthetic video and input drivers are VSCs. A VSC binds to a VMBus offer carrying its class GUID, opens the channel and negotiates a protocol version. Then it writes requests — SCSI commands, RNDIS packets — into the outgoing ring and waits for completions that carry the same transaction id.',
      'pt-BR':
        'storvsc, netvsc e os drivers sintéticos de vídeo e entrada são VSCs. Um VSC se liga a uma oferta VMBus com o GUID da sua classe, abre o canal e negocia uma versão de protocolo. Depois escreve requisições — comandos SCSI, pacotes RNDIS — no anel de saída e espera conclusões com o mesmo identificador de transação.',
    },
    inGame: {
      en: 'The chips with a device icon at the bottom of each child partition’s box, one per device. Connect each one to the VSP of its class: level 2 (Two lanes) has a disk and a network adapter, and a VSP of the other class refuses the connection and says why.',
      'pt-BR':
        'Os chips com ícone de dispositivo na base da caixa de cada partição filha, um por dispositivo. Ligue cada um ao VSP da sua classe: a fase 2 (Duas pistas) tem um disco e um adaptador de rede, e um VSP da outra classe recusa a ligação e diz por quê.',
    },
    seenAt: [
      { kind: 'board', part: 'vscs' },
      { kind: 'level', level: '02-two-lanes' },
    ],
    simplification: {
      en: 'Handshakes and packets are byte-exact; the guest CPU spent per request is an estimate.',
      'pt-BR':
        'Os handshakes e os pacotes são exatos no nível de byte; a CPU do convidado gasta por requisição é uma estimativa.',
    },
    sources: [
      { key: 'L', ref: 'drivers/scsi/storvsc_drv.c, drivers/net/hyperv/netvsc.c' },
      VD,
      SEED,
    ],
    related: ['vsp', 'vmbus', 'ic', 'subchannels'],
  },
  {
    id: 'vsp',
    kind: 'glossary',
    seedTerm: 'VSP',
    term: { en: 'VSP', 'pt-BR': 'VSP' },
    expansion: {
      en: 'Virtualization Service Provider',
      'pt-BR': 'Provedor de Serviço de Virtualização',
    },
    summary: {
      en: 'The provider side of a synthetic device, in the root: it takes VSC requests from VMBus and uses the real driver.',
      'pt-BR':
        'O lado provedor de um dispositivo sintético, na raiz: recebe as requisições dos VSCs pelo VMBus e usa o driver real.',
    },
    body: {
      en: 'storvsp and netvsp (with the virtual switch) run in the root kernel. For each open channel they drain the guest’s ring, validate each packet — the guest controls every byte of it — do the I/O on the physical device, and send a completion.\n\nIn Hyperkata the VSPs are plugins written against a public SDK, and you can write your own.',
      'pt-BR':
        'storvsp e netvsp (com o switch virtual) rodam no kernel da raiz. Para cada canal aberto, eles esvaziam o anel do convidado, validam cada pacote — o convidado controla cada byte dele —, fazem a E/S no dispositivo físico e enviam uma conclusão.\n\nNo Hyperkata os VSPs são plugins escritos sobre um SDK público, e você pode escrever o seu.',
    },
    inGame: {
      en: 'The named boxes along the bottom of the root partition, each with its plugin. Their CPU is root CPU. In level 11 (Hostile guest) the built-in storvsp stops the hostile guest’s channel at its first malformed packet — the event log says “stopped: rule 37” — and the host runs on.',
      'pt-BR':
        'As caixas com nome na base da partição raiz, cada uma com seu plugin. A CPU delas é CPU da raiz. Na fase 11 (Convidado hostil), o storvsp embutido para o canal do convidado hostil no primeiro pacote malformado — o registro de eventos diz “parado: regra 37” — e o host continua.',
    },
    seenAt: [
      { kind: 'board', part: 'vsps' },
      {
        kind: 'log',
        level: '11-hostile-guest',
        text: { en: 'stopped: rule 37', 'pt-BR': 'parado: regra 37' },
      },
    ],
    simplification: {
      en: 'VSP work is CPU time on root processors plus the physical device’s own latency and bandwidth. Only storage and networking have VSPs in the root kernel on a real host. The host side of the integration services (heartbeat, shutdown, time sync, key-value exchange), of synthetic video and of synthetic input are devices in the VM’s worker process (VMWP), in user mode. The game draws every provider in the same row and charges its work to the root processors the same way. A real storvsp is one driver serving every VM’s disks, whatever file or disk backs each one (usually a VHDX on a volume); the game makes a VSP instance per physical device, so wiring a channel to an instance stands for placing that virtual disk on that device.',
      'pt-BR':
        'O trabalho de um VSP é tempo de CPU nos processadores da raiz mais a latência e a banda do próprio dispositivo físico. Num host real, só armazenamento e rede têm VSPs no kernel da raiz. O lado do host dos serviços de integração (pulsação, desligamento, sincronização de horário, troca de pares chave-valor), do vídeo sintético e da entrada sintética são dispositivos no processo de trabalho da VM (VMWP), em modo usuário. O jogo desenha todos os provedores na mesma fileira e cobra o trabalho deles dos processadores da raiz do mesmo jeito. Um storvsp real é um único driver que atende os discos de todas as VMs, seja qual for o arquivo ou disco por trás de cada um (em geral um VHDX num volume); o jogo cria uma instância de VSP por dispositivo físico, e ligar um canal a uma instância representa colocar aquele disco virtual naquele dispositivo.',
    },
    sources: [
      { key: 'O', ref: 'vm/devices/storage/storvsp, vm/devices/net/netvsp' },
      { key: 'L', ref: 'Documentation/virt/hyperv/vmbus.rst (“VSP” and “VSC”)' },
      VD,
      SEED,
    ],
    related: ['vsc', 'isolation', 'root-partition', 'vmbus'],
  },
  {
    id: 'winhv',
    kind: 'glossary',
    seedTerm: 'WinHv',
    term: { en: 'WinHv', 'pt-BR': 'WinHv' },
    expansion: {
      en: 'Windows Hypervisor Interface Library',
      'pt-BR': 'Biblioteca de Interface do Hipervisor do Windows',
    },
    summary: {
      en: 'The library that lets drivers call the hypervisor with ordinary Windows calling conventions.',
      'pt-BR':
        'A biblioteca que permite a drivers chamar o hipervisor com as convenções de chamada normais do Windows.',
    },
    body: {
      en: 'winhv.sys wraps each hypercall in a function, so drivers such as VID and the VMBus driver never build hypercall input pages themselves. Linux has the same idea in its hv_do_hypercall and hv_do_rep_hypercall helpers.',
      'pt-BR':
        'O winhv.sys embrulha cada hypercall numa função, para que drivers como o VID e o driver do VMBus nunca montem eles mesmos as páginas de entrada das hypercalls. O Linux tem a mesma ideia nas funções hv_do_hypercall e hv_do_rep_hypercall.',
    },
    inGame: {
      en: 'Not drawn. In the simulation the root’s VID and VMBus server reach the hypervisor only through a WinHv layer, which re-issues time-sliced rep calls and deposits memory when the hypervisor asks; their calls add to the “hypercalls” counter in the hypervisor strip.',
      'pt-BR':
        'Não é desenhada. Na simulação, o VID e o servidor VMBus da raiz só chegam ao hipervisor por uma camada WinHv, que repete chamadas rep fatiadas no tempo e deposita memória quando o hipervisor pede; as chamadas deles entram no contador “hypercalls” da faixa do hipervisor.',
    },
    seenAt: [{ kind: 'board', part: 'counters' }],
    sources: [
      { key: 'L', ref: 'arch/x86/include/asm/mshyperv.h (hv_do_hypercall, hv_do_rep_hypercall)' },
      { key: 'T', ref: 'TLFS, Hypercall Interface (tlfs/hypercall-interface.md)' },
      VD,
      SEED,
    ],
    related: ['hypercall', 'vid'],
  },
  {
    id: 'wmi',
    kind: 'glossary',
    seedTerm: 'WMI',
    term: { en: 'WMI', 'pt-BR': 'WMI' },
    expansion: {
      en: 'Windows Management Instrumentation',
      'pt-BR': 'Instrumentação de Gerenciamento do Windows',
    },
    summary: {
      en: 'The management API that VMMS exposes for creating and controlling virtual machines.',
      'pt-BR': 'A API de gerenciamento que o VMMS expõe para criar e controlar máquinas virtuais.',
    },
    body: {
      en: 'The root\\virtualization\\v2 namespace holds classes such as Msvm_ComputerSystem and Msvm_ProcessorSettingData. Hyper-V Manager, PowerShell and System Center all go through it. Some values are stored scaled: a processor reserve or limit is kept as percent × 1,000.',
      'pt-BR':
        'O namespace root\\virtualization\\v2 contém classes como Msvm_ComputerSystem e Msvm_ProcessorSettingData. O Gerenciador do Hyper-V, o PowerShell e o System Center passam todos por ele. Alguns valores são guardados em escala: a reserva ou o limite de processador ficam como porcentagem × 1.000.',
    },
    inGame: {
      en: 'The game has no WMI layer. For each setting you change, the inspector shows the PowerShell command that, on a real host, goes through VMMS’s WMI API: in level 5 (Noisy neighbour), changing a VM’s “Weight” rewrites its Set-VMProcessor line.',
      'pt-BR':
        'O jogo não tem uma camada WMI. Para cada configuração que você muda, o inspetor mostra o comando PowerShell que, num host real, passa pela API WMI do VMMS: na fase 5 (Vizinho barulhento), mudar o “Peso” de uma VM reescreve a linha Set-VMProcessor dela.',
    },
    seenAt: [
      {
        kind: 'field',
        level: '05-noisy-neighbour',
        control: 'cpuControls',
        label: 'play.field.weight',
      },
    ],
    simplification: {
      en: 'Only the settings the levels use are modelled.',
      'pt-BR': 'Só as configurações que as fases usam são modeladas.',
    },
    sources: [
      {
        key: 'WS',
        ref: 'Hyper-V WMI provider (V2): Msvm_ProcessorSettingData (Reservation and Limit in percent × 1000)',
      },
      VD,
      SEED,
    ],
    related: ['vmms', 'weight-reserve-limit'],
  },
];
