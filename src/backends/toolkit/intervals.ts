import { UnsupportedError } from '../../errors.js';
import type { IntervalQuery, IntervalTarget } from '../types.js';
import type { Session } from './session.js';

// Placeholder until the Flux v2 set-interval lands (same commit series).
export async function intervals(_s: Session, _query: IntervalQuery): Promise<IntervalTarget> {
  throw new UnsupportedError('set-interval is not available on Flux v2 yet');
}
