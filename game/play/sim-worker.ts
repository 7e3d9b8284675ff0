/**
 * The Web Worker the Play scene runs the simulation in (`sim-client.ts` starts it), so stepping
 * the core never holds up a frame. It answers each request in order with one reply.
 */
import { SimHost } from './sim-host.js';
import type { SimReply, SimRequest } from './sim-protocol.js';

interface WorkerScope {
  onmessage: ((event: MessageEvent<SimRequest>) => void) | null;
  postMessage(reply: SimReply): void;
}

const scope = self as unknown as WorkerScope;
const host = new SimHost();
scope.onmessage = (event) => {
  scope.postMessage(host.handle(event.data));
};
