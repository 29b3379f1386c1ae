import type { Context } from '../../context.js';
import type { Check } from './engine.js';

/** 1. Which kubeconfig, context, server and namespace a run uses (kubectl's merge rules). */
export function kubeconfigCheck(ctx: Context): Check {
  return {
    name: 'kubeconfig',
    async run() {
      if (ctx.globals.url !== undefined) return { status: 'ok', message: 'not needed: --url names the daemon' };
      const k = await ctx.kubeconfig();
      const ns = k.namespace === undefined ? 'no namespace (commands default to "default")' : `namespace "${k.namespace}"`;
      return { status: 'ok', message: `${k.source}, context "${k.contextName}", server ${k.server}, ${ns}` };
    },
  };
}

/** 2. The API server answers, and its version; TLS and credential failures come named from the client. */
export function apiServerCheck(ctx: Context): Check {
  return {
    name: 'api-server',
    needs: ['kubeconfig'],
    async run() {
      if (ctx.globals.url !== undefined) return { status: 'ok', message: 'not needed: --url names the daemon' };
      const api = await ctx.kube();
      const v = (await api.request('GET', '/version')) as { gitVersion?: unknown };
      const version = typeof v.gitVersion === 'string' ? v.gitVersion : 'unknown version';
      return { status: 'ok', message: `${api.server} answers (Kubernetes ${version})` };
    },
  };
}
