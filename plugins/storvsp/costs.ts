/**
 * Root CPU storvsp charges for its own work (on top of the VMBus framework's dispatch cost,
 * core/vsp VSP_DISPATCH_NS). Hyper-V publishes no per-I/O figure; these are estimates sized so a
 * synthetic I/O costs a few µs of root CPU in all — far less than an emulated one, whose every
 * port access is an intercept handled in the worker process (HYPERV.md rule 21).
 */

// estimate: parsing the vstor packet, the rule-37 checks, decoding the CDB and building the disk
// request — a few hundred instructions plus cache misses on guest-shared memory, ~1.5 µs.
export const STORVSP_REQUEST_NS = 1_500;

// estimate: turning a disk completion into COMPLETE_IO (SRB/SCSI status, sense, length) and
// queuing it on the guest's ring, ~1 µs.
export const STORVSP_COMPLETION_NS = 1_000;

// estimate: answering a command storvsp serves itself (INQUIRY, READ CAPACITY, MODE SENSE, …):
// building the data and copying it into the guest's buffer, ~1 µs plus 1 ns per byte copied.
export const STORVSP_ANSWER_NS = 1_000;
export const STORVSP_ANSWER_NS_PER_BYTE = 1;

// estimate: an init-sequence message (rule 16) or a reset: a state-machine step, ~1 µs.
export const STORVSP_CONTROL_NS = 1_000;

// estimate: taking a request off storvsp's own queue once the disk has room, ~0.3 µs.
export const STORVSP_DEQUEUE_NS = 300;
