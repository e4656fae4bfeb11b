import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  type ReactNode,
} from "react";
import {
  commands,
  type DemoStatus,
  type FormLimits,
  type Lang,
  type Localized,
  type ProfileSummary,
  type Settings,
} from "../bindings";
import { call, type IpcError } from "../api/errors";
import { loc } from "../i18n/localized";

/** What the whole window needs to know about the connection: demo, profiles, settings. */
export interface SessionValue {
  lang: Lang;
  /** Picks the right half of a `{ zhCn, en }` pair. */
  loc: (text: Localized) => string;
  demo: DemoStatus | null;
  profiles: ProfileSummary[] | null;
  settings: Settings | null;
  /** Bounds of the forms, from the Rust checks behind them; `null` until known. */
  limits: FormLimits | null;
  /** Set when the first load failed (shown instead of the wizard's connection panel). */
  loadError: IpcError | null;
  loaded: boolean;
  refresh: () => Promise<void>;
  setDemo: (demo: DemoStatus) => void;
  setProfiles: (profiles: ProfileSummary[]) => void;
  setSettings: (settings: Settings) => void;
}

const SessionContext = createContext<SessionValue | null>(null);

export function SessionProvider({ lang, children }: { lang: Lang; children: ReactNode }) {
  const [demo, setDemo] = useState<DemoStatus | null>(null);
  const [profiles, setProfiles] = useState<ProfileSummary[] | null>(null);
  const [settings, setSettings] = useState<Settings | null>(null);
  const [loadError, setLoadError] = useState<IpcError | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [limits, setLimits] = useState<FormLimits | null>(null);

  const refresh = useCallback(
    () =>
      Promise.all([
        call(() => commands.demoStatus()),
        call(() => commands.listProfiles()),
        call(() => commands.getSettings()),
      ])
        .then(
          ([d, p, s]) => {
            setDemo(d);
            setProfiles(p);
            setSettings(s);
            setLoadError(null);
          },
          (err: IpcError) => setLoadError(err),
        )
        .finally(() => setLoaded(true)),
    [],
  );

  useEffect(() => {
    void refresh();
  }, [refresh]);

  // The bounds only guide the inputs (Rust checks every value again), so a form without
  // them still works.
  useEffect(() => {
    call(() => commands.formLimits()).then(
      (l) => setLimits(l ?? null),
      () => setLimits(null),
    );
  }, []);

  const value = useMemo<SessionValue>(
    () => ({
      lang,
      loc: (text: Localized) => loc(text, lang),
      demo,
      profiles,
      settings,
      limits,
      loadError,
      loaded,
      refresh,
      setDemo,
      setProfiles,
      setSettings,
    }),
    [lang, demo, profiles, settings, limits, loadError, loaded, refresh],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error("useSession outside SessionProvider");
  return value;
}
