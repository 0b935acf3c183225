import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { ProfileList } from '../../bindings';
import { ErrorBanner } from '../../components/ui/ErrorBanner';
import { listProfiles, removeProfile, signIn, switchProfile, toIpcError } from '../../lib/ipc';

export const profileKeys = { list: ['profiles'] as const };

/**
 * The platforms the window works with: the profiles (name, URL, user; the token in the OS keyring,
 * never shown), the one in use, "Sign in" to add one, and the embedded demo platform's users. A switch
 * reads every view again from the new profile's cache.
 */
export function Profiles() {
  const queryClient = useQueryClient();
  const list = useQuery({ queryKey: profileKeys.list, queryFn: listProfiles });
  /** Everything read so far came from the last profile: read it all again. */
  const switched = (profiles: ProfileList) => {
    queryClient.setQueryData(profileKeys.list, profiles);
    void queryClient.resetQueries({ predicate: (q) => q.queryKey[0] !== profileKeys.list[0] });
  };
  const use = useMutation({
    mutationFn: ({ name, demoUser }: { name: string | null; demoUser: string | null }) => switchProfile(name, demoUser),
    onSuccess: switched,
  });
  const remove = useMutation({ mutationFn: (name: string) => removeProfile(name), onSuccess: switched });
  const [confirming, setConfirming] = useState<string | null>(null);
  const data = list.data;
  const demoChoice = useId();
  const [demoUser, setDemoUser] = useState('');
  const error = use.error ?? remove.error;

  return (
    <section className="settings-group" aria-labelledby="settings-profiles" data-testid="profiles">
      <h3 id="settings-profiles">Profiles</h3>
      {list.isError ? (
        <ErrorBanner title="The profiles could not be read." error={toIpcError(list.error)} onRetry={() => void list.refetch()} />
      ) : null}
      {error ? (
        <ErrorBanner
          title="The window still works with the last profile."
          error={toIpcError(error)}
          onDismiss={() => {
            use.reset();
            remove.reset();
          }}
        />
      ) : null}
      {data ? (
        <p data-testid="current-profile">
          Working with <strong>{data.current ?? 'no profile'}</strong>
          {data.current?.startsWith('demo') ? ', the demo platform built into Meshport.' : '.'}
        </p>
      ) : null}
      {data && data.profiles.length > 0 ? (
        <table className="table" aria-label="Profiles">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">User</th>
              <th scope="col">Platform</th>
              <th scope="col">Token</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {data.profiles.map((p) => {
              const inUse = data.current === p.name;
              return (
                <tr key={p.name} data-testid="profile-row" data-profile={p.name} aria-current={inUse ? 'true' : undefined}>
                  <th scope="row">
                    {p.name} {inUse ? <span className="badge status-active">in use</span> : null}
                  </th>
                  <td>{p.user}</td>
                  <td>{p.url}</td>
                  <td>{p.signedIn === undefined ? 'keyring unavailable' : p.signedIn ? 'in the OS keyring' : 'none: sign in'}</td>
                  <td className="row-actions">
                    {!inUse ? (
                      <button
                        type="button"
                        className="btn btn-small"
                        disabled={use.isPending}
                        aria-label={`Use profile ${p.name}`}
                        onClick={() => use.mutate({ name: p.name, demoUser: null })}
                      >
                        Use
                      </button>
                    ) : null}
                    {confirming === p.name ? (
                      <>
                        <button
                          type="button"
                          className="btn btn-small btn-danger"
                          aria-label={`Remove profile ${p.name} and its token`}
                          onClick={() => {
                            setConfirming(null);
                            remove.mutate(p.name);
                          }}
                        >
                          Remove it and its token
                        </button>
                        <button type="button" className="btn btn-small btn-ghost" onClick={() => setConfirming(null)}>
                          Keep
                        </button>
                      </>
                    ) : (
                      <button
                        type="button"
                        className="btn btn-small btn-ghost"
                        aria-label={`Remove profile ${p.name}`}
                        onClick={() => setConfirming(p.name)}
                      >
                        Remove
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
      {data && (data.demoUsers ?? []).length > 0 ? (
        <div className="filters" role="group" aria-label="The demo platform">
          <label htmlFor={demoChoice}>Act on the demo platform as</label>
          <select
            id={demoChoice}
            className="form-control"
            value={demoUser}
            onChange={(e) => setDemoUser(e.target.value)}
          >
            <option value="">Choose a demo user</option>
            {(data.demoUsers ?? []).map((u) => (
              <option key={u} value={u}>
                {u}
              </option>
            ))}
          </select>
          <button
            type="button"
            className="btn btn-small"
            disabled={!demoUser || use.isPending}
            onClick={() => use.mutate({ name: null, demoUser })}
          >
            Switch
          </button>
        </div>
      ) : null}
      <SignIn onSignedIn={switched} />
    </section>
  );
}

/** "Sign in": a new profile (name, platform URL, user) and its token, typed into a password field. */
function SignIn({ onSignedIn }: { onSignedIn: (list: ProfileList) => void }) {
  const ids = { name: useId(), url: useId(), user: useId(), token: useId() };
  const [form, setForm] = useState({ name: '', url: '', user: '', token: '' });
  const set = (key: keyof typeof form) => (value: string) => setForm((f) => ({ ...f, [key]: value }));
  const sign = useMutation({
    mutationFn: () => signIn(form.name, form.url, form.user, form.token),
    onSuccess: (list) => {
      // The token is in the keyring now: it leaves the window's memory; the rest is kept for the next.
      setForm({ name: '', url: form.url, user: '', token: '' });
      onSignedIn(list);
    },
    // On a refusal the token field is emptied (never kept around), the rest stays as typed.
    onError: () => setForm((f) => ({ ...f, token: '' })),
  });
  const ready = form.name.trim() && form.url.trim() && form.user.trim() && form.token.trim();
  return (
    <form
      className="sign-in"
      aria-labelledby={`${ids.name}-heading`}
      onSubmit={(e) => {
        e.preventDefault();
        if (ready) sign.mutate();
      }}
    >
      <h4 id={`${ids.name}-heading`}>Sign in to a platform</h4>
      <label htmlFor={ids.name}>Profile name</label>
      <input id={ids.name} className="form-control" value={form.name} autoComplete="off" onChange={(e) => set('name')(e.target.value)} />
      <label htmlFor={ids.url}>Platform URL</label>
      <input
        id={ids.url}
        className="form-control"
        type="url"
        placeholder="https://platform.example.com"
        value={form.url}
        onChange={(e) => set('url')(e.target.value)}
      />
      <label htmlFor={ids.user}>User</label>
      <input id={ids.user} className="form-control" value={form.user} autoComplete="username" onChange={(e) => set('user')(e.target.value)} />
      <label htmlFor={ids.token}>Token</label>
      <input
        id={ids.token}
        className="form-control"
        type="password"
        autoComplete="current-password"
        value={form.token}
        onChange={(e) => set('token')(e.target.value)}
        aria-describedby={`${ids.token}-hint`}
      />
      <p className="muted" id={`${ids.token}-hint`}>
        Checked with the platform, then kept in the OS keyring only.
      </p>
      {sign.isError ? (
        <ErrorBanner title="Not signed in; nothing was stored." error={toIpcError(sign.error)} onDismiss={() => sign.reset()} />
      ) : null}
      <button type="submit" className="btn btn-primary" disabled={!ready || sign.isPending}>
        {sign.isPending ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
