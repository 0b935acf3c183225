import { QueryClient } from '@tanstack/react-query';

/**
 * The cache of what the shell's commands answered. The answers come from the local shell over IPC,
 * not from the network, and change when the shell says so (its `sync-status` events, see
 * providers.tsx) or when the window itself changed them (a draft saved, a submit): so no refetch on
 * focus or reconnect, and a query runs whatever the browser thinks of the network (`networkMode:
 * 'always'`; offline is the shell's business, and it answers offline too). A failed command is not
 * retried behind the user's back: its view shows the error with a Retry.
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        networkMode: 'always',
        retry: false,
        refetchOnWindowFocus: false,
        refetchOnReconnect: false,
      },
      mutations: {
        networkMode: 'always',
        retry: false,
      },
    },
  });
}
