import { useEffect, useState } from 'react';

/** Hash routes: #/runs, #/run/<id>, #/compare/<a>/<b>, #/launch, #/calc (ids URL-encoded). */
export type Route =
  | { page: 'runs' }
  | { page: 'run'; id: string }
  | { page: 'compare'; a: string; b: string }
  | { page: 'launch' }
  | { page: 'calc' };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').map((p) => decodeURIComponent(p));
  switch (parts[0]) {
    case 'run':
      return parts[1] !== undefined ? { page: 'run', id: parts[1] } : { page: 'runs' };
    case 'compare':
      return parts[1] !== undefined && parts[2] !== undefined ? { page: 'compare', a: parts[1], b: parts[2] } : { page: 'runs' };
    case 'launch':
      return { page: 'launch' };
    case 'calc':
      return { page: 'calc' };
    default:
      return { page: 'runs' };
  }
}

export const href = {
  runs: () => '#/runs',
  run: (id: string) => `#/run/${encodeURIComponent(id)}`,
  compare: (a: string, b: string) => `#/compare/${encodeURIComponent(a)}/${encodeURIComponent(b)}`,
  launch: () => '#/launch',
  calc: () => '#/calc',
};

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const on = () => setRoute(parseRoute(location.hash));
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}
