import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { boot, firstView, openOnTheCatalog } from './app/boot';
import { applyTheme, storedTheme } from './app/theme';
import { markStage } from './lib/measure';
import './styles.css';

// The bundle is parsed and its modules have run.
markStage('script');

// Before the first paint, so a dark window never flashes light.
applyTheme(storedTheme());
openOnTheCatalog();
const started = boot();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
void firstView(started.firstSearch).then(() => {
  markStage('render');
  createRoot(root).render(
    <StrictMode>
      <App boot={started} />
    </StrictMode>,
  );
});
