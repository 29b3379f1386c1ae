// Server-side printing (meta.k8s.io/v1 Table), which `kubectl get` asks for. Without it
// kubectl prints only NAME and AGE. Built-in resources use the API server's printers;
// custom resources use their CRD's additionalPrinterColumns, as apiextensions does.
import { evaluate } from './jsonpath.js';
import { AGE, builtinCells, COLUMNS, NAME, col, type Column } from './printers.js';
import type { PrinterColumn, ResourceRegistry } from './resources.js';
import type { KubeObject, Resource } from './types.js';
import { humanDuration } from './util.js';

export function wantsTable(accept: string | undefined): boolean {
  return accept !== undefined && /as=Table/.test(accept) && /g=meta\.k8s\.io/.test(accept);
}

function customColumns(printer: PrinterColumn[]): Column[] {
  return [NAME, ...printer.map((p) => col(p.name, p.type, p.description ?? p.name, p.priority ?? 0, p.format ?? ''))];
}

/** One printer-column cell: dates become ages, absent values null (kubectl prints `<none>`). */
function customCell(obj: unknown, p: PrinterColumn): unknown {
  const values = evaluate(obj, p.jsonPath);
  if (values.length === 0) return null;
  const v = values[0];
  if (p.type === 'date') return typeof v === 'string' ? humanDuration(Date.now() - Date.parse(v)) : null;
  if (p.type === 'string' && typeof v !== 'string') return typeof v === 'object' ? JSON.stringify(v) : String(v);
  return v;
}

export interface TableRequest {
  registry: ResourceRegistry;
  resource: Resource;
  version: string;
  includeObject: string | null;
}

export function toTable(r: TableRequest, objects: KubeObject[], listMeta: Record<string, unknown>): object {
  const info = r.registry.require(r.resource);
  const printer = info.custom ? r.registry.version(r.resource, r.version).additionalPrinterColumns ?? [] : undefined;
  const columns = printer ? customColumns(printer) : COLUMNS[r.resource] ?? [NAME, AGE];
  const cellsOf = (o: KubeObject): unknown[] => {
    if (printer) return [o.metadata.name, ...printer.map((p) => customCell(o, p))];
    return builtinCells(r.resource, o) ?? [o.metadata.name, humanDuration(Date.now() - Date.parse(o.metadata.creationTimestamp))];
  };
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: listMeta,
    columnDefinitions: columns,
    rows: objects.map((o) => ({
      cells: cellsOf(o),
      ...(r.includeObject === 'None'
        ? {}
        : {
            object: r.includeObject === 'Object'
              ? r.registry.withKind(r.resource, o, r.version)
              : { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata },
          }),
    })),
  };
}
