/**
 * The hypervisor's DI module. The integrator binds the sinks and options to the tokens of
 * `tokens.ts` (SYNIC_INTERRUPT_SINK, VP_CONTROL, HYPERVISOR_OPTIONS, optionally WINHV_OPTIONS),
 * then loads this module.
 *
 * @example
 * const container = new Container();
 * container.bind(HYPERVISOR_OPTIONS).toConstantValue({ logicalProcessors: 64 });
 * container.bind(SYNIC_INTERRUPT_SINK).toConstantValue(scheduler.interruptSink);
 * container.bind(VP_CONTROL).toConstantValue(scheduler.vpControl);
 * container.load(hypervisorModule);
 * const hv = container.get(Hypervisor);
 */
import { ContainerModule } from 'inversify';
import { Hypervisor } from './hypervisor.js';
import { WinHv } from './winhv.js';

export const hypervisorModule = new ContainerModule(({ bind }) => {
  bind(Hypervisor).toSelf().inSingletonScope();
  bind(WinHv).toSelf().inSingletonScope();
});
