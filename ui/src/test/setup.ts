import { notifyManager } from '@tanstack/react-query';
import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';

// TanStack Query tells its observers of a change in a later task by default; in tests they hear of it
// at once, so that a change made inside act() (an event from the shell, say) is on screen when act
// returns, as a state update would be.
notifyManager.setScheduler((callback) => callback());

afterEach(() => {
  cleanup();
  // The window's views live in the URL's fragment (a hash router): each test starts at the start.
  if (typeof window !== 'undefined') window.history.replaceState(null, '', '/');
});
