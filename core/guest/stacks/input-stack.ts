/**
 * The guest's input stack. Input operations begin outside the guest: the user moves the mouse at
 * the VM's console. The stack asks the console for that event (the console is root-side: it hands
 * the event to the synthetic HID VSP, which sends SYNTHHID_INPUT_REPORT over VMBus, or to the
 * emulated i8042, which raises IRQ 12 and is read a byte at a time); when the guest's driver has
 * the event, the application does its work on it. Events arrive in order, so waiting operations
 * are matched first in, first out.
 */
import type { Ns } from '../../engine/index.js';
import type { CostMeter } from '../../host/cpu.js';
import type { OfferChannelMessage } from '../../vmbus/control/index.js';
import type { RunningOp } from '../application.js';
import { Synthhid } from '../drivers/synthhid.js';
import type { Binding } from '../vmbus/vmbus-client.js';
import type { GuestChannel } from '../vmbus/guest-channel.js';
import type { DeviceDriver, DeviceStack, GuestContext, GuestDevice } from './types.js';
import { narrate } from '../../simulation/narration-messages.js';

// estimate: the guest's input layer handing one event to the application (evdev / win32k).
export const INPUT_ISSUE_NS: Ns = 2_000;

/** Where input drivers report events. */
export interface InputEventSink {
  /** One input event (a mouse packet, a key) from `device` reached the guest's input layer. */
  inputEvent(device: GuestDevice): void;
  /** `device` died: events still expected from it will not come. */
  inputLost(device: GuestDevice): void;
}

/** What every guest input driver (synthhid or the legacy PS/2 one) offers the stack. */
export interface InputDriver extends DeviceDriver {
  sink: InputEventSink | null;
}

export function isInputDriver(d: unknown): d is InputDriver {
  return typeof d === 'object' && d !== null && 'sink' in d;
}

export class InputStack implements DeviceStack, InputEventSink {
  readonly cls = 'input' as const;
  /** Operations whose event the user made and the guest has not received yet, per device. */
  private readonly pending = new Map<GuestDevice, RunningOp[]>();

  constructor(private readonly ctx: GuestContext) {}

  issueCostNs(): Ns {
    return INPUT_ISSUE_NS;
  }

  booted(devices: readonly GuestDevice[]): void {
    for (const d of devices) {
      if (d.path !== 'emulated') continue;
      const driver = this.ctx.emulatedDriver(this.ctx, d);
      d.driver = driver;
      if (isInputDriver(driver)) driver.sink = this;
    }
  }

  bind(device: GuestDevice, offer: OfferChannelMessage): Binding | null {
    if (offer.offer.subChannelIndex !== 0) return null;
    const ctx = this.ctx;
    const driver = new Synthhid(device, {
      onReady: () => {
        ctx.deviceStateChanged();
        ctx.log(narrate('synthhid.ready', { device: device.spec.id, product: driver.productText }));
      },
      onFailed: (reason) => {
        device.failure = reason;
        ctx.deviceStateChanged();
        ctx.log(narrate('synthhid.stopped', { device: device.spec.id, reason }));
      },
    });
    driver.sink = this;
    device.driver = driver;
    return {
      driver,
      ringBytes: device.ringBytes,
      lowLatency: device.lowLatency,
      opened: (channel: GuestChannel, meter: CostMeter) => {
        driver.attach(channel, meter);
      },
    };
  }

  /** The user acts at the console; the operation waits until the guest has the event. */
  receive(run: RunningOp, device: GuestDevice): boolean {
    const driver = device.driver;
    const console = this.ctx.console;
    if (!isInputDriver(driver) || !driver.ready || driver.dead || console === undefined) {
      this.ctx.app.finish(run, false, 0, true);
      return true;
    }
    let queue = this.pending.get(device);
    if (queue === undefined) {
      queue = [];
      this.pending.set(device, queue);
    }
    queue.push(run);
    if (!console.userInput(device.spec.id, 'pointer')) {
      queue.pop();
      this.ctx.app.finish(run, false, 0, true);
    }
    return true;
  }

  inputEvent(device: GuestDevice): void {
    const run = this.pending.get(device)?.shift();
    if (run !== undefined) this.ctx.app.received(run);
  }

  inputLost(device: GuestDevice): void {
    const queue = this.pending.get(device);
    if (queue === undefined) return;
    const lost = queue.splice(0);
    for (const run of lost) this.ctx.app.finish(run, false, 0, true);
  }

  /** The application handled the event: nothing more goes down to a device. */
  dispatch(run: RunningOp): void {
    this.ctx.app.finish(run, true, 0);
  }
}
