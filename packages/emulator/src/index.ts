export type { EmulatorClock } from './clock.ts';
export { createEmulator, type Emulator } from './emulator.ts';
export type {
  Fault,
  FaultController,
  FaultHandle,
  FaultMatch,
  FaultRule,
  Operation,
} from './faults.ts';
export { ACCEPTED_VERSIONS } from './gates.ts';
export type { StoreInspector } from './inspector.ts';
export type { EmulatorServer, ListenOptions } from './node.ts';
export {
  DEFAULT_BETAS,
  type EmulatorOptions,
  type HandledRequest,
  type UnverifiedChoices,
} from './options.ts';
export {
  defaultOutcome,
  type EmulatedRequest,
  type OutcomeDecision,
  type OutcomeFunction,
} from './outcomes.ts';
