import { render } from '@testing-library/react';
import { expect, it } from 'vitest';
import { seriousViolations } from './axe';

// The views' accessibility tests assert an empty list: this one shows the helper does find what it
// should, so that an empty list means something.
it('reports serious and critical violations by rule and place', async () => {
  render(
    <div>
      <img src="x.png" />
      <button type="button" />
    </div>,
  );
  expect(await seriousViolations()).toEqual([
    'button-name: Buttons must have discernible text (button)',
    'image-alt: Images must have alternative text (img)',
  ]);
});
