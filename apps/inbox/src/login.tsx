import { useState } from 'preact/hooks';
import { api, ApiError, type Session } from './api';

export function Login({ onLogin, notice }: { onLogin: (session: Session) => void; notice: string | null }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const res = await api.login(email, password);
      onLogin({ token: res.accessToken, user: res.user, expiresAt: Date.now() + res.expiresIn * 1000 });
    } catch (err) {
      if (err instanceof ApiError && err.status === 429)
        setError('Too many sign-in attempts. Wait a minute and try again.');
      else if (err instanceof ApiError && (err.status === 401 || err.status === 400))
        setError('Email or password is incorrect.');
      else setError(err instanceof ApiError ? err.message : 'Sign-in failed. Try again.');
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="login">
      <form class="card login-card" onSubmit={submit} aria-label="Sign in">
        <h1>
          Seamline <span>Inbox</span>
        </h1>
        {notice ? <p class="notice">{notice}</p> : null}
        <label>
          Email
          <input
            name="email"
            type="email"
            autoComplete="username"
            required
            value={email}
            onInput={(e) => setEmail(e.currentTarget.value)}
            autoFocus
          />
        </label>
        <label>
          Password
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </label>
        {error ? (
          <p class="error" role="alert" data-testid="login-error">
            {error}
          </p>
        ) : null}
        <button class="primary" type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <p class="muted small">
          Demo accounts are printed by <code>npm start</code>.
        </p>
      </form>
    </main>
  );
}
