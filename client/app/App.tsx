import { BoardPage } from './BoardPage.tsx';
import { HomePage } from './HomePage.tsx';
import { Logo } from './Logo.tsx';
import { onLinkClick, useRoute } from './router.ts';

export function App() {
  const route = useRoute();
  switch (route.name) {
    case 'home':
      return <HomePage />;
    case 'board':
      return <BoardPage key={route.id} id={route.id} token={route.token} />;
    case 'not-found':
      return (
        <div className="page-center">
          <div className="card error-card">
            <Logo />
            <h2>Nothing here</h2>
            <p className="muted">There is no page at {route.path}.</p>
            <a className="button primary" href="/" onClick={(e) => onLinkClick(e, '/')}>
              All boards
            </a>
          </div>
        </div>
      );
  }
}
