export { type Batcher, createBatcher } from './batcher.js';
export {
  BATCHER_DEFAULTS,
  type BatcherHooks,
  type BatcherLimits,
  type BatcherOptions,
  type BatchInfo,
  type RejectReason,
  type SubmitOptions,
  type TicketTiming,
} from './batcher-options.js';
export { type Clock, SYSTEM_CLOCK } from './clock.js';
