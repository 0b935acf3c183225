import { useEffect, useState } from 'react';

/**
 * Code loaded when it is first needed, without `React.lazy`: React holds back what a Suspense
 * boundary reveals until 300 ms after its fallback appeared, so a chart whose code and data were
 * ready 50 ms later still waited. `preload()` starts the load once (again after a failure), for a
 * view that knows early that it will need the code; `useLoaded()` gives the module once loaded
 * (null until then, so the caller shows its own placeholder) and throws a failed load to the
 * nearest error boundary.
 */
export function onDemand<T>(load: () => Promise<T>) {
  let loading: Promise<T> | null = null;
  let loaded: T | null = null;
  const preload = (): Promise<T> => {
    loading ??= load().then(
      (module) => {
        loaded = module;
        return module;
      },
      (error: unknown) => {
        loading = null;
        throw error;
      },
    );
    return loading;
  };
  function useLoaded(): T | null {
    const [state, setState] = useState<{ module: T | null; error?: Error }>(() => ({ module: loaded }));
    useEffect(() => {
      if (state.module || state.error) return;
      let live = true;
      preload().then(
        (module) => {
          if (live) setState({ module });
        },
        (error: unknown) => {
          if (live) setState({ module: null, error: error instanceof Error ? error : new Error(String(error)) });
        },
      );
      return () => {
        live = false;
      };
    }, [state.module, state.error]);
    if (state.error) throw state.error;
    return state.module;
  }
  return { preload, useLoaded };
}
