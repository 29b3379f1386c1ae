import { UnsupportedError } from '../../errors.js';
import type { AutomationAction, AutomationOutcome } from '../types.js';
import type { Session } from './session.js';

// Placeholder until the Flux v2 automate/lock land (same commit series).
export async function setAutomation(_s: Session, _workload: string, _action: AutomationAction): Promise<AutomationOutcome[]> {
  throw new UnsupportedError('automate, deautomate, lock and unlock are not available on Flux v2 yet');
}
