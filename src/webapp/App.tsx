import { useEffect, useState } from 'react';
import type { ServerInfo } from './api.js';
import { getJson } from './http.js';
import { CalcPage } from './pages/CalcPage.js';
import { ComparePage } from './pages/ComparePage.js';
import { LaunchPage } from './pages/LaunchPage.js';
import { RunPage } from './pages/RunPage.js';
import { RunsPage } from './pages/RunsPage.js';
import { href, useRoute } from './route.js';

export function App() {
  const route = useRoute();
  const [info, setInfo] = useState<ServerInfo | null>(null);
  const [offline, setOffline] = useState(false);
  useEffect(() => {
    getJson<ServerInfo>('api/info').then(setInfo, () => setOffline(true));
  }, []);
  const tab = (page: string, to: string, label: string) => (
    <a className={route.page === page || (page === 'runs' && (route.page === 'run' || route.page === 'compare')) ? 'active' : ''} href={to}>
      {label}
    </a>
  );
  return (
    <div className="app">
      <header>
        <span className="brand">rhizocarb</span>
        <nav>
          {tab('runs', href.runs(), 'Runs')}
          {tab('launch', href.launch(), 'Launch')}
          {tab('calc', href.calc(), 'Calculators')}
        </nav>
        <span className="muted small" data-testid="server-info">
          {info ? `v${info.version} · ${info.root} · ${info.index}` : offline ? 'no server: calculators only' : ''}
        </span>
      </header>
      <main>
        {route.page === 'runs' && <RunsPage />}
        {route.page === 'run' && <RunPage id={route.id} />}
        {route.page === 'compare' && <ComparePage a={route.a} b={route.b} />}
        {route.page === 'launch' && <LaunchPage />}
        {route.page === 'calc' && <CalcPage />}
      </main>
    </div>
  );
}
