/**
 * The built-in campaign list: twelve levels, one concept each, in order. A stand-in until the
 * integrator reads levels/campaign/*.json; the ids are the keys of saved progress, so keep them.
 */
import type { CampaignLevel, CampaignSource } from './types.js';

const after = (level: string, minStars = 1) => ({ kind: 'after', level, minStars }) as const;

export const BUILT_IN_LEVELS: readonly CampaignLevel[] = [
  {
    id: 'first-partition',
    number: 1,
    title: { en: 'First partition', 'pt-BR': 'Primeira partição' },
    brief: {
      en: 'Start one child partition and give its disk a synthetic path: storage VSC → VMBus → the storage VSP in the root.',
      'pt-BR':
        'Inicie uma partição filha e dê ao disco dela um caminho sintético: VSC de armazenamento → VMBus → o VSP de armazenamento na raiz.',
    },
    concepts: ['child-partition', 'root-partition', 'vsc', 'vsp', 'vmbus'],
    unlock: [{ kind: 'start' }],
  },
  {
    id: 'two-lanes',
    number: 2,
    title: { en: 'Two lanes', 'pt-BR': 'Duas pistas' },
    brief: {
      en: 'Storage and network each need their own channel to the VSP of their class. A packet on the wrong lane is misrouted.',
      'pt-BR':
        'Armazenamento e rede precisam cada um do seu canal até o VSP da sua classe. Um pacote na pista errada é mal roteado.',
    },
    concepts: ['vmbus-ring-buffer', 'channel-lifecycle', 'gpadl', 'vsp'],
    unlock: [after('first-partition')],
  },
  {
    id: 'legacy-guest',
    number: 3,
    title: { en: 'Legacy guest', 'pt-BR': 'Convidado legado' },
    brief: {
      en: 'This guest has no integration components and only knows emulated IDE and a legacy NIC. Install ICs, or pay for emulation in VMWP.',
      'pt-BR':
        'Este convidado não tem componentes de integração e só conhece IDE emulado e uma NIC legada. Instale os ICs ou pague pela emulação no VMWP.',
    },
    concepts: ['synthetic-vs-emulated', 'ic', 'vmwp', 'generations'],
    unlock: [after('two-lanes')],
  },
  {
    id: 'root-works-too',
    number: 4,
    title: { en: 'The root works too', 'pt-BR': 'A raiz também trabalha' },
    brief: {
      en: 'Every VSP packet and every emulated access burns root CPU. Size the root’s processors so the I/O is not starved.',
      'pt-BR':
        'Cada pacote de VSP e cada acesso emulado queimam CPU da raiz. Dimensione os processadores da raiz para a E/S não passar fome.',
    },
    concepts: ['root-vps', 'root-partition', 'vsp', 'io-stack'],
    unlock: [after('legacy-guest')],
  },
  {
    id: 'noisy-neighbour',
    number: 5,
    title: { en: 'Noisy neighbour', 'pt-BR': 'Vizinho barulhento' },
    brief: {
      en: 'A batch VM eats the processors a database needs. Tame it with weight, reserve and limit.',
      'pt-BR':
        'Uma VM de lote devora os processadores de que um banco de dados precisa. Dome-a com peso, reserva e limite.',
    },
    concepts: ['weight-reserve-limit', 'scheduler-types', 'wmi'],
    unlock: [after('root-works-too')],
  },
  {
    id: 'isolated-cores',
    number: 6,
    title: { en: 'Isolated cores', 'pt-BR': 'Núcleos isolados' },
    brief: {
      en: 'Switch to the core scheduler, where a core is never shared between two VMs — and find out what that costs.',
      'pt-BR':
        'Mude para o escalonador core, em que um núcleo nunca é dividido entre duas VMs — e descubra quanto isso custa.',
    },
    concepts: ['scheduler-types', 'hypervisor', 'root-vps'],
    unlock: [after('noisy-neighbour')],
  },
  {
    id: 'memory-pressure',
    number: 7,
    title: { en: 'Memory pressure', 'pt-BR': 'Pressão de memória' },
    brief: {
      en: 'Three VMs, not enough RAM for all of them at their peak. Use Dynamic Memory before the guests start paging.',
      'pt-BR':
        'Três VMs e RAM insuficiente para todas no pico. Use a Memória Dinâmica antes que os convidados comecem a paginar.',
    },
    concepts: ['dynamic-memory', 'ballooning', 'hot-add', 'paging'],
    unlock: [after('isolated-cores')],
  },
  {
    id: 'interrupt-storm',
    number: 8,
    title: { en: 'Interrupt storm', 'pt-BR': 'Tempestade de interrupções' },
    brief: {
      en: 'A chatty guest signals on every packet. Find the unnecessary interrupts, batch the rest, and avoid being throttled.',
      'pt-BR':
        'Um convidado tagarela sinaliza a cada pacote. Encontre as interrupções desnecessárias, agrupe as outras e evite o estrangulamento.',
    },
    concepts: ['signalling', 'interrupt-throttling', 'monitor-pages', 'synic', 'apic'],
    unlock: [after('memory-pressure')],
  },
  {
    id: 'ring-full',
    number: 9,
    title: { en: 'Ring full', 'pt-BR': 'Anel cheio' },
    brief: {
      en: 'Bursts overflow a small ring and the writer stalls. Size rings and queues so flow control rarely has to step in.',
      'pt-BR':
        'Rajadas transbordam um anel pequeno e quem escreve trava. Dimensione anéis e filas para que o controle de fluxo raramente precise agir.',
    },
    concepts: ['flow-control', 'vmbus-ring-buffer', 'signalling'],
    unlock: [after('interrupt-storm')],
  },
  {
    id: 'two-disks',
    number: 10,
    title: { en: 'Two disks', 'pt-BR': 'Dois discos' },
    brief: {
      en: 'A database with two disks and eight processors. Spread the load over sub-channels and reach the p99 target.',
      'pt-BR':
        'Um banco de dados com dois discos e oito processadores. Espalhe a carga pelos subcanais e alcance a meta de p99.',
    },
    concepts: ['subchannels', 'vmbus-ring-buffer', 'io-stack'],
    unlock: [after('ring-full')],
  },
  {
    id: 'hostile-guest',
    number: 11,
    title: { en: 'Hostile guest', 'pt-BR': 'Convidado hostil' },
    brief: {
      en: 'One guest sends malformed packets and probes privileged hypercalls. Keep every other VM running and nothing outside its GPADLs touched.',
      'pt-BR':
        'Um convidado envia pacotes malformados e testa hypercalls privilegiadas. Mantenha as outras VMs rodando e nada fora dos GPADLs dele tocado.',
    },
    concepts: ['isolation', 'hypercall-status', 'gpadl', 'hypercall', 'msr'],
    unlock: [after('two-disks')],
  },
  {
    id: 'consolidation',
    number: 12,
    title: { en: 'Consolidation', 'pt-BR': 'Consolidação' },
    brief: {
      en: 'Fit eight servers on one host: processors, memory, channels, SR-IOV and the root’s budget, all at once.',
      'pt-BR':
        'Acomode oito servidores num só host: processadores, memória, canais, SR-IOV e o orçamento da raiz, tudo ao mesmo tempo.',
    },
    concepts: [
      'sr-iov',
      'dynamic-memory',
      'weight-reserve-limit',
      'root-vps',
      'vid',
      'vmms',
      'winhv',
    ],
    unlock: [after('hostile-guest'), { kind: 'totalStars', min: 20 }],
  },
];

/** The campaign the game uses until levels/ provides one. */
export const BUILT_IN_CAMPAIGN: CampaignSource = { levels: () => BUILT_IN_LEVELS };
