import type { FileFacts, ModelFormat } from '../../../contract';

/** A model opened earlier, remembered on this computer. */
export interface RecentFile {
  path: string;
  name: string;
  format: ModelFormat;
  sizeBytes: number;
  openedAt: number;
}

const STORAGE_KEY = 'lithe.recentFiles.v1';
const LIMIT = 6;

/** The short list of recently opened models, kept in localStorage. */
export class RecentFiles {
  items: RecentFile[] = $state(load());

  /** Puts a successfully identified model at the top of the list. */
  add(facts: FileFacts): void {
    if (!facts.format) return;
    const entry: RecentFile = {
      path: facts.path,
      name: facts.name,
      format: facts.format,
      sizeBytes: facts.sizeBytes,
      openedAt: Date.now(),
    };
    this.items = [entry, ...this.items.filter((item) => item.path !== facts.path)].slice(0, LIMIT);
    save(this.items);
  }

  remove(path: string): void {
    this.items = this.items.filter((item) => item.path !== path);
    save(this.items);
  }

  clear(): void {
    this.items = [];
    save(this.items);
  }
}

function load(): RecentFile[] {
  try {
    const raw: unknown = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '[]');
    return Array.isArray(raw) ? raw.filter(isRecentFile).slice(0, LIMIT) : [];
  } catch {
    return [];
  }
}

function save(items: RecentFile[]): void {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(items));
  } catch {
    // storage full or disabled: the list simply is not remembered
  }
}

function isRecentFile(value: unknown): value is RecentFile {
  if (typeof value !== 'object' || value === null) return false;
  const item = value as Record<string, unknown>;
  return (
    typeof item.path === 'string' &&
    typeof item.name === 'string' &&
    (item.format === 'onnx' || item.format === 'tflite') &&
    typeof item.sizeBytes === 'number' &&
    typeof item.openedAt === 'number'
  );
}
