import { describe, expect, it } from '@jest/globals';
import { Container } from 'inversify';
import { HvStatus } from './status.js';
import { Hypervisor } from './hypervisor.js';
import { hypervisorModule } from './hypervisor.module.js';
import { RecordingSink, RecordingVpControl } from './test-fixtures.js';
import { HYPERVISOR_OPTIONS, SYNIC_INTERRUPT_SINK, VP_CONTROL, WINHV_OPTIONS } from './tokens.js';
import { WinHv } from './winhv.js';

describe('hypervisorModule', () => {
  it('builds one Hypervisor and one WinHv from the sinks and options the integrator binds', () => {
    const container = new Container();
    const sink = new RecordingSink();
    container.bind(HYPERVISOR_OPTIONS).toConstantValue({ logicalProcessors: 6 });
    container.bind(SYNIC_INTERRUPT_SINK).toConstantValue(sink);
    container.bind(VP_CONTROL).toConstantValue(new RecordingVpControl());
    container.bind(WINHV_OPTIONS).toConstantValue({ rootFreePages: 1000 });
    container.load(hypervisorModule);

    const hv = container.get(Hypervisor);
    const winhv = container.get(WinHv);
    expect(container.get(Hypervisor)).toBe(hv);
    expect(hv.root.vpCount).toBe(6);
    expect(winhv.rootFreePages).toBe(1000);
    expect(winhv.createPartition().status).toBe(HvStatus.SUCCESS);
    expect(hv.partitions.size).toBe(2);
  });

  it('works without WinHv options (defaults)', () => {
    const container = new Container();
    container.bind(HYPERVISOR_OPTIONS).toConstantValue({ logicalProcessors: 2 });
    container.bind(SYNIC_INTERRUPT_SINK).toConstantValue(new RecordingSink());
    container.bind(VP_CONTROL).toConstantValue(new RecordingVpControl());
    container.load(hypervisorModule);
    expect(container.get(WinHv).rootFreePages).toBe(1 << 24);
  });
});
