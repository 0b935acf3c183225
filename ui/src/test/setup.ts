import { notifyManager } from '@tanstack/react-query';
import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';

// TanStack Query tells its observers of a change in a later task by default; in tests they hear of it
// at once, so that a change made inside act() (an event from the shell, say) is on screen when act
// returns, as a state update would be.
notifyManager.setScheduler((callback) => callback());

// CI machines may be slow and busy (two cores shared with a Rust build): a lazily loaded view can take
// longer than Testing Library's 1 s default to appear. A wait that is never met still fails.
configure({ asyncUtilTimeout: 5_000 });

afterEach(() => {
  cleanup();
  // The window's views live in the URL's fragment (a hash router): each test starts at the start.
  if (typeof window !== 'undefined') window.history.replaceState(null, '', '/');
});
