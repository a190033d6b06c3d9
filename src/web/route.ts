// Where the app is: the path (/, /inspect) and the hash's parts (#/session/<id> → ['session', '<id>']).
import { useEffect, useState } from 'preact/hooks';

export interface Route {
  path: string;
  parts: string[];
}

const current = (): Route => ({
  path: location.pathname,
  parts: location.hash
    .replace(/^#\/?/, '')
    .split('/')
    .filter((p) => p !== '')
    .map(decodeURIComponent),
});

export function useRoute(): Route {
  const [route, setRoute] = useState(current);
  useEffect(() => {
    const update = () => setRoute(current());
    addEventListener('hashchange', update);
    addEventListener('popstate', update);
    return () => {
      removeEventListener('hashchange', update);
      removeEventListener('popstate', update);
    };
  }, []);
  return route;
}

export const go = (...parts: string[]): void => {
  location.hash = `#/${parts.map(encodeURIComponent).join('/')}`;
};
