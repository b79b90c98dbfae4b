import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/App';
import './ui/app.css';
import { startLoading } from './ui/loadDataset';
import { parseViewState } from './ui/viewState';

// Ask for the data before React and the map start.
startLoading(parseViewState(window.location.search).data);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
