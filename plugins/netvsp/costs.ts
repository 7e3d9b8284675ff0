/**
 * What netvsp's work costs the root, on top of the VSP framework's dispatch (VSP_DISPATCH_NS).
 * Hyper-V publishes no per-packet figures; these are estimates chosen so that synthetic networking
 * costs a few µs of root CPU per packet plus the host's copy into the receive buffer (rule 19).
 */

// estimate: decoding an NVSP message and the vmswitch's forwarding work for one transmitted frame
// (port lookup, VLAN/ACL checks, handing it to the NIC), a couple of µs in the root kernel.
export const NETVSP_TX_PACKET_NS = 2_000;
// estimate: completing a transmit back to the guest once the NIC sent the frame.
export const NETVSP_TX_COMPLETION_NS = 500;
// estimate: the vmswitch's receive work per frame (classify, pick the vRSS queue, build the
// transfer-page packet), before the copy.
export const NETVSP_RX_PACKET_NS = 2_000;
// estimate: the host copies each received frame into a receive-buffer section: ~4 GB/s with the
// cache misses of a copy across partitions, 0.25 ns per byte.
export const NETVSP_COPY_NS_PER_BYTE = 0.25;
// estimate: taking a receive section back when the guest completes its transfer-page packet.
export const NETVSP_RX_COMPLETION_NS = 300;
// estimate: a setup or RNDIS control message (rare; protocol work only).
export const NETVSP_CONTROL_NS = 3_000;
