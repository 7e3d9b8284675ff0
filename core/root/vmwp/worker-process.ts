/**
 * A VM's worker process (VMWP): the user-mode process in the root that VMMS starts for each VM.
 * It hosts the VM's emulated devices and answers the intercepts the VID hands it (rule 21). Its
 * work is root CPU like the VSPs', but in user mode: thread work on the root VP that took the
 * intercept, behind any interrupt work queued there.
 */
import type { EmulatedDeviceModel, PortAccess, PortAnswer } from './device-model.js';
import { VMWP_ACCESS_BASE_NS } from './device-model.js';

export class WorkerProcess {
  private readonly models: EmulatedDeviceModel[] = [];
  /** Intercepts handled, and root CPU they cost, for the report and the game. */
  intercepts = 0;
  cpuNs = 0;

  constructor(readonly vm: string) {}

  /** Adds an emulated device to the VM (before it boots). */
  add(model: EmulatedDeviceModel): void {
    this.models.push(model);
  }

  get devices(): readonly EmulatedDeviceModel[] {
    return this.models;
  }

  /** The worker process ends with its VM's partition: its device models stop their timers. */
  stop(): void {
    for (const model of this.models) model.stop?.();
  }

  /** Whether one of the VM's emulated devices still has guest work in progress (Save-VM waits). */
  busy(): boolean {
    return this.models.some((m) => m.busy?.() === true);
  }

  /** Handles one intercepted port access; an access no model claims reads all ones. */
  handle(access: PortAccess): PortAnswer {
    this.intercepts++;
    const model = this.models.find((m) =>
      m.ports.some((r) => access.port >= r.base && access.port <= r.end),
    );
    const answer: PortAnswer =
      model === undefined ? { value: 0xffffffff, costNs: 0 } : model.onAccess(access);
    const cost = VMWP_ACCESS_BASE_NS + answer.costNs;
    this.cpuNs += cost;
    return answer.value === undefined ? { costNs: cost } : { value: answer.value, costNs: cost };
  }
}
