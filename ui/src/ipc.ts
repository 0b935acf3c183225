// The only module that talks to the Tauri shell. Tests replace it with vi.mock('./ipc').
import { invoke } from '@tauri-apps/api/core';
import type { DataProduct, ProductSummary, SaveOutcome } from './bindings';

/** What a command rejects with for real failures (database, I/O, ...). */
export interface IpcErrorPayload {
  code: string;
  message: string;
}

/** A failed command. Branch on `code` only; `message` is for people. */
export class IpcError extends Error implements IpcErrorPayload {
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = 'IpcError';
    this.code = code;
  }
}

export function isIpcError(value: unknown): value is IpcErrorPayload {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Record<string, unknown>).code === 'string' &&
    typeof (value as Record<string, unknown>).message === 'string'
  );
}

/** Normalizes whatever a rejected invoke produced into an IpcError. */
export function toIpcError(error: unknown): IpcError {
  if (error instanceof IpcError) return error;
  if (isIpcError(error)) return new IpcError(error.code, error.message);
  if (typeof error === 'string') return new IpcError('unknown', error);
  // E.g. outside the desktop shell (plain browser) the Tauri internals are missing.
  if (error instanceof Error) return new IpcError('unknown', error.message);
  return new IpcError('unknown', 'The desktop shell did not answer.');
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (error) {
    throw toIpcError(error);
  }
}

/** `products_list`: the catalog, in the order the shell returns it. */
export function listProducts(): Promise<ProductSummary[]> {
  return call<ProductSummary[]>('products_list');
}

/** `product_create`: validates and, when no finding is an error, stores the document. */
export function createProduct(document: DataProduct): Promise<SaveOutcome> {
  return call<SaveOutcome>('product_create', { document });
}
