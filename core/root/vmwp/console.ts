/**
 * A VM's console as the root sees it: the Virtual Machine Connection (vmconnect) the user looks
 * at and types into. Its input and screen live in the VM's worker process, which hands a key or
 * mouse event to whatever input device the VM has — the synthetic HID device's VSP over VMBus
 * (the host sends SYNTHHID_INPUT_REPORT), or the emulated i8042 PS/2 controller (which raises
 * IRQ 1/12) — and which shows the frames the video device produces.
 *
 * The model's guest workload says when the user acts, so the guest's input stack asks the console
 * for the event (through {@link ConsolePort}); everything after that is root work and device
 * protocol, exactly as if the event had started at the keyboard.
 */
import type { EventType, Ns, SimEngine } from '../../engine/index.js';
import type { HostCpu } from '../../host/cpu.js';
import { WorkClass } from '../../host/cpu.js';
import type { ConsolePort, ScreenObserver } from '../../guest/stacks/types.js';
import type { VpId } from '../../scheduler/index.js';
import type { VspRuntime } from '../../vsp/vsp-runtime.js';

export type ConsoleInputKind = 'key' | 'pointer';

// estimate: an input event from vmconnect reaching the VMWP and its keyboard/mouse device
// (RDP input PDU decoded, routed to the VM's input device), ~5 µs of root CPU.
export const CONSOLE_INPUT_NS: Ns = 5_000;

/** An emulated input controller that takes console events (the i8042 model). */
export interface ConsoleInputSink {
  consoleInput(kind: ConsoleInputKind): void;
}

interface InputRoute {
  readonly device: string;
  /** The input VSP serving the device's channel (synthetic route). */
  readonly vsp: VspRuntime | null;
  /** The emulated controller in the worker process (emulated route). */
  readonly sink: ConsoleInputSink | null;
}

interface PendingInput {
  readonly route: InputRoute;
  readonly kind: ConsoleInputKind;
  readonly tag: number;
}

interface Screen {
  readonly device: string;
  readonly observer: ScreenObserver;
}

/**
 * The console of one VM.
 *
 * @example
 * ```ts
 * const console = new VmConsole(engine, cpu, cpu.vp(rootPartitionId, 0), 'desk01');
 * console.attachSynthetic('mouse0', synthhidRuntime); // or attachEmulated('mouse0', ps2Model)
 * console.userInput('mouse0', 'pointer'); // → SYNTHHID_INPUT_REPORT reaches the guest
 * ```
 */
export class VmConsole implements ConsolePort {
  private readonly routes: InputRoute[] = [];
  private readonly screens: Screen[] = [];
  private readonly deliverEvent: EventType<PendingInput>;
  private nextTag = 1;
  /** Input events the user made, events that found no open path, frames shown. */
  inputEvents = 0;
  inputDropped = 0;
  framesPresented = 0;

  constructor(
    engine: SimEngine,
    private readonly cpu: HostCpu,
    /** The root VP running the worker process's console thread. */
    private readonly rootVp: VpId,
    readonly vm: string,
  ) {
    this.deliverEvent = engine.define<PendingInput>(`console:${vm}:input`, (p) => {
      this.deliver(p);
    });
  }

  /** The VM's input device `device` is a synthetic channel served by `vsp`. */
  attachSynthetic(device: string, vsp: VspRuntime): void {
    this.routes.push({ device, vsp, sink: null });
  }

  /** The VM's input device `device` is an emulated controller in the worker process. */
  attachEmulated(device: string, sink: ConsoleInputSink): void {
    this.routes.push({ device, vsp: null, sink });
  }

  userInput(device: string, kind: ConsoleInputKind): boolean {
    const route = this.routes.find((r) => r.device === device);
    if (route === undefined) return false;
    this.inputEvents++;
    const tag = this.nextTag++;
    this.cpu.run(this.rootVp, CONSOLE_INPUT_NS, WorkClass.Thread, this.deliverEvent, {
      route,
      kind,
      tag,
    });
    return true;
  }

  watchScreen(device: string, observer: ScreenObserver): void {
    this.screens.push({ device, observer });
  }

  /** The worker process's video device put VRAM writes up to `generation` on the screen. */
  framePresented(device: string, generation: number): void {
    this.framesPresented++;
    for (const s of this.screens) if (s.device === device) s.observer.framePresented(generation);
  }

  private deliver(p: PendingInput): void {
    const { route } = p;
    if (route.sink !== null) {
      route.sink.consoleInput(p.kind);
      return;
    }
    const vsp = route.vsp;
    const channel = vsp?.channels.find(
      (c) =>
        c.vm === this.vm &&
        c.device === route.device &&
        c.subchannelIndex === 0 &&
        c.state === 'open',
    );
    if (vsp === null || channel === undefined) {
      this.inputDropped++;
      return;
    }
    vsp.deliver(channel, { type: 'input', kind: p.kind, tag: p.tag });
  }
}
