// `?watch=true`: newline-delimited JSON events on a chunked 200. A resourceVersion other
// than "0" replays retained events after it, which kubectl's list-then-watch relies on.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Cluster, WatchEvent, WireObject } from './cluster.js';
import { expired } from './status.js';
import type { KubeObject, Resource } from './types.js';

export interface WatchRequest {
  resource: Resource;
  namespace?: string;
  matches: (obj: KubeObject) => boolean;
  /** The object as this client sees it (apiVersion of the version it watches). */
  present: (obj: KubeObject) => WireObject;
  query: URLSearchParams;
}

export function serveWatch(req: IncomingMessage, res: ServerResponse, cluster: Cluster, w: WatchRequest, open: Set<ServerResponse>): void {
  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
  res.flushHeaders(); // clients (client-node's Watch) wait for the headers before the first event
  const inScope = (o: KubeObject): boolean => (w.namespace === undefined || o.metadata.namespace === w.namespace) && w.matches(o);
  const write = (ev: WatchEvent | { type: 'ERROR'; object: unknown }): void => {
    const out = ev.type === 'ERROR' ? ev : { type: ev.type, object: w.present(ev.object as KubeObject) };
    res.write(`${JSON.stringify(out)}\n`);
  };

  const rv = w.query.get('resourceVersion');
  if (!rv || rv === '0') {
    // No (or "any") resourceVersion: synthetic ADDED events for the current state first.
    for (const o of cluster.list(w.resource, w.namespace)) if (inScope(o)) write({ type: 'ADDED', object: w.present(o) });
  } else {
    const replay = /^\d+$/.test(rv) ? cluster.eventsSince(w.resource, Number(rv)) : undefined;
    if (!replay) {
      write({ type: 'ERROR', object: expired(`too old resource version: ${rv} (${cluster.resourceVersion})`) });
      res.end();
      return;
    }
    for (const ev of replay) if (inScope(ev.object)) write(ev);
  }

  open.add(res);
  const stop = cluster.addWatcher({
    resource: w.resource,
    send: (ev) => {
      if (inScope(ev.object)) write(ev);
    },
  });
  const seconds = Number(w.query.get('timeoutSeconds') ?? 0);
  const timer = seconds > 0 ? setTimeout(() => res.end(), seconds * 1000).unref() : undefined;
  const cleanup = (): void => {
    stop();
    if (timer) clearTimeout(timer);
    open.delete(res);
  };
  res.on('close', cleanup);
  req.on('close', cleanup);
}
