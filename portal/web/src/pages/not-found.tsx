// Any path the portal does not know.
import { EmptyState } from '../components/ui';
import { Link } from '../lib/router';

export function NotFoundPage() {
  return (
    <EmptyState title="This page does not exist">
      <p>
        <Link to="/">Back to the overview</Link>
      </p>
    </EmptyState>
  );
}
