import { useState } from 'react';

export interface ThreadSelection {
  ids: ReadonlySet<string>;
  /** Every thread matching the filter, loaded or not: the bulk answer sends the filter instead of ids. */
  isAllMatching: boolean;
}

const empty: ThreadSelection = { ids: new Set(), isAllMatching: false };

/** The threads ticked in the list; forgotten when the filter changes, since the rows are no longer the same. */
export function useThreadSelection(filterKey: string) {
  const [state, setState] = useState({ key: filterKey, selection: empty });
  const selection = state.key === filterKey ? state.selection : empty;
  const set = (next: ThreadSelection) => setState({ key: filterKey, selection: next });
  return {
    selection,
    toggle(id: string, isSelected: boolean) {
      const ids = new Set(selection.ids);
      if (isSelected) ids.add(id);
      else ids.delete(id);
      set({ ids, isAllMatching: false });
    },
    setLoaded(ids: string[], isSelected: boolean) {
      set({ ids: isSelected ? new Set(ids) : new Set(), isAllMatching: false });
    },
    selectAllMatching(ids: string[]) {
      set({ ids: new Set(ids), isAllMatching: true });
    },
    clear() {
      set(empty);
    },
  };
}

export type ThreadSelectionControl = ReturnType<typeof useThreadSelection>;
