// The committed throwaway PKI (fixtures/tls, see its README) that the API server serves https
// with. kubectl sends a token or a client certificate only over https, so the emulator needs one;
// tests that write an in-cluster service account or look for a leaked key read the same files.
import { readFileSync } from 'node:fs';

export type TestPemFile = 'ca.pem' | 'ca-key.pem' | 'server.pem' | 'server-key.pem' | 'client.pem' | 'client-key.pem';

const TLS_DIR = new URL('../../fixtures/tls/', import.meta.url);

/** One PEM file of the test PKI. Its private keys are public: trust it nowhere but in tests. */
export function testPem(file: TestPemFile): string {
  return readFileSync(new URL(file, TLS_DIR), 'utf8');
}
