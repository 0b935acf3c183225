import { createContext, useContext, useState } from 'react';
import type { ReactNode } from 'react';

/**
 * The draft each "New data product" history entry started, by the entry's key: Back or Forward onto
 * that entry resumes the draft (what was typed) instead of opening an empty form. Kept in memory for
 * the life of the window.
 */
export interface FormEntries {
  draftOf: (entryKey: string) => string | undefined;
  record: (entryKey: string, draftId: string) => void;
  forget: (entryKey: string) => void;
}

const FormEntriesContext = createContext<FormEntries | null>(null);

export function FormEntriesProvider({ children }: { children: ReactNode }) {
  const [entries] = useState<FormEntries>(() => {
    const drafts = new Map<string, string>();
    return {
      draftOf: (key) => drafts.get(key),
      record: (key, id) => void drafts.set(key, id),
      forget: (key) => void drafts.delete(key),
    };
  });
  return <FormEntriesContext value={entries}>{children}</FormEntriesContext>;
}

export function useFormEntries(): FormEntries {
  const entries = useContext(FormEntriesContext);
  if (!entries) throw new Error('useFormEntries is used outside a FormEntriesProvider');
  return entries;
}
