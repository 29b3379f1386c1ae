import { UnsupportedError } from '../../errors.js';
import type { Backend } from '../types.js';
import type { Session } from './session.js';

// Placeholder until the Flux v2 sync lands (same commit series).
export function createSync(_s: Session): Pick<Backend, 'syncSource' | 'requestSync' | 'awaitRevision' | 'awaitApplied' | 'syncedWorkloads'> {
  const pending = (): never => {
    throw new UnsupportedError('sync is not available on Flux v2 yet');
  };
  return { syncSource: async () => pending(), requestSync: async () => pending(), awaitRevision: async () => pending(), awaitApplied: async () => pending(), syncedWorkloads: async () => pending() };
}
