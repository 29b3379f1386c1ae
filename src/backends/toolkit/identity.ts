import { UnsupportedError } from '../../errors.js';
import type { IdentityResult } from '../types.js';
import type { Session } from './session.js';

// Placeholder until the Flux v2 identity lands (same commit series).
export async function identity(_s: Session, _regenerate: boolean): Promise<IdentityResult> {
  throw new UnsupportedError('identity is not available on Flux v2 yet');
}
