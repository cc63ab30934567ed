// Personal access tokens as the platform spec shows them: the member a token belongs to is always the caller (a
// member only ever sees its own tokens), so the store's memberId stays on the server.
import type { PersonalToken } from '../../../keys/src/store/personal-tokens';

export function personalTokenView(token: PersonalToken) {
  const { memberId: _member, ...view } = token;
  return view;
}
