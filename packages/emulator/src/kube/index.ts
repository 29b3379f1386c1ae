// An in-process Kubernetes API server for tests: enough of the REST API (built-in kinds and
// custom resources registered as CRDs), discovery, server-side tables, watches, patches, the
// status subresource, access reviews, rollouts and WebSocket port-forward that both
// @kubernetes/client-node and real kubectl treat it as a cluster.
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type net from 'node:net';
import type { Duplex } from 'node:stream';
import { Cluster } from './cluster.js';
import { Faults } from './faults.js';
import type { RecordedRequest } from './http.js';
import { renderKubeconfig, type KubeconfigOptions } from './kubeconfig.js';
import { testPem as pem } from './pki.js';
import { createWebSocketServer, handleUpgrade } from './portforward.js';
import { handleRequest, type ServerContext } from './rest.js';

export { Cluster } from './cluster.js';
export type { Backend, BackendTarget, DeploymentInput, PodInput, Subscriber, WatchEvent, WireObject, WriteOptions, WriteResult } from './cluster.js';
export type { CustomResourceDefinitionInput, CustomResourceVersion } from './crd.js';
export type { PrinterColumn, ResourceInfo, ResourceRegistry, ResourceVersion } from './resources.js';
export { Faults } from './faults.js';
export type { DenyRule, RestFault, UpgradeRejection } from './faults.js';
export type { RecordedRequest } from './http.js';
export type { KubeconfigOptions } from './kubeconfig.js';
export { testPem } from './pki.js';
export type { TestPemFile } from './pki.js';
export { changedFields, recordManager } from './admission.js';
export type { ManagerWrite } from './admission.js';
export { conflict, invalid } from './status.js';
export type { Status, StatusCause, StatusDetails } from './status.js';
export type * from './types.js';

export interface KubeEmulatorOptions {
  /** https with the committed test CA (default); false serves plain http. */
  tls?: boolean;
  /** Bearer token → user name. Default { 'test-token': 'jane' }. */
  users?: Record<string, string>;
  /** Simulated controller step in ms. Default 40. */
  rolloutTickMs?: number;
}

export interface KubeEmulator {
  url: string;
  /** base64 of the CA PEM, for certificate-authority-data. */
  caData: string;
  cluster: Cluster;
  requests: RecordedRequest[];
  faults: Faults;
  /** Port-forward WebSockets open right now (a client that exits must leave none). */
  readonly openTunnels: number;
  kubeconfig(o?: KubeconfigOptions): string;
  close(): Promise<void>;
}

const b64 = (text: string): string => Buffer.from(text).toString('base64');

export async function startKubeEmulator(opts: KubeEmulatorOptions = {}): Promise<KubeEmulator> {
  const tls = opts.tls ?? true;
  const users = opts.users ?? { 'test-token': 'jane' };
  const cluster = new Cluster(opts.rolloutTickMs ?? 40);
  const faults = new Faults();
  const requests: RecordedRequest[] = [];
  let address = '';
  const ctx: ServerContext = { cluster, faults, users, requests, serverAddress: () => address, watches: new Set() };
  const st = { wss: createWebSocketServer(), podSockets: new Set<net.Socket>(), hung: new Set<Duplex>() };

  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse): void => void handleRequest(req, res, ctx);
  const server = tls
    ? https.createServer({ key: pem('server-key.pem'), cert: pem('server.pem'), ca: pem('ca.pem'), requestCert: true, rejectUnauthorized: false }, onRequest)
    : http.createServer(onRequest);
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => handleUpgrade(req, socket, head, ctx, st));
  server.on('tlsClientError', () => {}); // clients that reject our CA just go away

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  address = `127.0.0.1:${port}`;
  const url = `${tls ? 'https' : 'http'}://${address}`;
  const caData = b64(pem('ca.pem'));

  return {
    url,
    caData,
    cluster,
    requests,
    faults,
    get openTunnels() {
      return st.wss.clients.size;
    },
    kubeconfig: (o) =>
      renderKubeconfig({ url, tls, caData, defaultToken: Object.keys(users)[0], clientCertData: b64(pem('client.pem')), clientKeyData: b64(pem('client-key.pem')) }, o),
    async close() {
      cluster.dispose();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const res of ctx.watches) res.destroy();
      for (const ws of st.wss.clients) ws.terminate();
      for (const s of st.podSockets) s.destroy();
      for (const s of st.hung) s.destroy();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => st.wss.close(() => resolve()));
      await closed;
    },
  };
}
