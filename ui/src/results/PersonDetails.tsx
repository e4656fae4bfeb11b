import { useEffect, useState } from "react";
import { App, Button, Descriptions, Empty, Space, Tag, Typography } from "antd";
import { FolderOpenOutlined, LinkOutlined } from "@ant-design/icons";
import { useTranslation } from "react-i18next";
import { commands, type PersonResult, type Speaker } from "../bindings";
import { call, toIpcError } from "../api/errors";
import { langOf } from "../i18n/localized";
import { callTimeText, turnClock } from "./callTime";
import { formatDuration } from "./outcome";
import { recordingSrc } from "./recording";

const SPEAKER_COLOR: Record<Speaker, string> = {
  robot: "blue",
  customer: "green",
  other: "default",
};

/**
 * One person's call in full: the saved recording (played from this computer), the
 * conversation turn by turn, and the raw API values the main table leaves out.
 */
export function PersonDetails({ person: p }: { person: PersonResult }) {
  const { t, i18n } = useTranslation();
  const lang = langOf(i18n.language);
  const { notification } = App.useApp();
  const [seconds, setSeconds] = useState<number | null>(null);
  const source = p.recordingPath !== null ? recordingSrc(p) : null;
  const audio = useLocalAudio(source);
  const [busy, setBusy] = useState<"folder" | "online" | null>(null);

  const run = async (what: "folder" | "online") => {
    setBusy(what);
    try {
      await call(() =>
        what === "folder"
          ? commands.openRecordingsFolder(p.campaignId)
          : commands.openRecording(p.campaignId, p.batchIndex, p.position),
      );
    } catch (thrown) {
      const shown = toIpcError(thrown).text(lang);
      notification.error({ title: shown.message, description: shown.hint, duration: 8 });
    } finally {
      setBusy(null);
    }
  };

  return (
    <div data-testid="person-details" style={{ maxWidth: 960 }}>
      <Typography.Title level={5} style={{ marginTop: 0 }}>
        {t("resultsView.evidence.recording")}
      </Typography.Title>
      {p.recordingPath !== null ? (
        <Space wrap align="center" style={{ marginBottom: 12 }}>
          <audio
            controls
            preload="metadata"
            src={audio.url ?? undefined}
            data-source={source ?? undefined}
            data-testid="recording-player"
            onLoadedMetadata={(e) => setSeconds(e.currentTarget.duration)}
          />
          {audio.failed && (
            <Typography.Text type="warning" data-testid="recording-unplayable">
              {t("resultsView.evidence.unplayable")}
            </Typography.Text>
          )}
          <Typography.Text type="secondary" data-testid="recording-length">
            {seconds !== null && Number.isFinite(seconds)
              ? t("resultsView.evidence.playerDuration", { duration: formatDuration(seconds) })
              : t("resultsView.evidence.billed", { duration: formatDuration(p.durationSecs) })}
          </Typography.Text>
          <Button
            size="small"
            icon={<FolderOpenOutlined />}
            loading={busy === "folder"}
            onClick={() => void run("folder")}
            data-testid="open-recordings-folder"
          >
            {t("resultsView.evidence.openFolder")}
          </Button>
        </Space>
      ) : (
        <Space wrap style={{ marginBottom: 12 }}>
          <Typography.Text type="secondary" data-testid="recording-not-saved">
            {p.outcome === "answered"
              ? t("resultsView.evidence.notSavedYet")
              : t("resultsView.evidence.recordingNone")}
          </Typography.Text>
          {p.recordingAvailable && (
            <Button
              size="small"
              icon={<LinkOutlined />}
              loading={busy === "online"}
              onClick={() => void run("online")}
              data-testid="open-recording"
            >
              {t("resultsView.evidence.openOnline")}
            </Button>
          )}
        </Space>
      )}

      <Typography.Title level={5}>{t("resultsView.evidence.transcript")}</Typography.Title>
      {p.transcript.length === 0 ? (
        <Empty
          image={Empty.PRESENTED_IMAGE_SIMPLE}
          description={t("resultsView.evidence.noTranscript")}
        />
      ) : (
        <ol data-testid="transcript" style={{ listStyle: "none", padding: 0, margin: "0 0 12px" }}>
          {p.transcript.map((turn, i) => (
            <li
              key={i}
              data-testid={`transcript-turn-${turn.speaker}`}
              style={{ display: "flex", gap: 8, marginBottom: 6, alignItems: "baseline" }}
            >
              <Tag color={SPEAKER_COLOR[turn.speaker]} style={{ flex: "none" }}>
                {turn.speaker === "other" && turn.role !== ""
                  ? turn.role
                  : t(`resultsView.evidence.speaker.${turn.speaker}`)}
              </Tag>
              <Typography.Text type="secondary" style={{ flex: "none", fontSize: 12 }}>
                {turnClock(turn.time)}
              </Typography.Text>
              <Typography.Text>{turn.content}</Typography.Text>
            </li>
          ))}
        </ol>
      )}

      <Typography.Title level={5}>{t("resultsView.evidence.codes")}</Typography.Title>
      <Descriptions size="small" column={{ xs: 1, md: 2 }} bordered data-testid="person-codes">
        <Descriptions.Item label={t("resultsView.evidence.statusCode")}>
          {p.statusCode ?? "—"}
        </Descriptions.Item>
        <Descriptions.Item label={t("resultsView.evidence.stateDesc")}>
          {p.stateDesc ?? "—"}
        </Descriptions.Item>
        <Descriptions.Item label={t("resultsView.evidence.hangupRaw")}>
          {p.hangupRaw ?? "—"}
        </Descriptions.Item>
        <Descriptions.Item label={t("resultsView.evidence.endedAt")}>
          {p.endedAtMs !== undefined || p.endedAt !== null
            ? callTimeText(p.endedAtMs, p.endedAt, lang)
            : "—"}
        </Descriptions.Item>
        <Descriptions.Item label={t("resultsView.evidence.taskId")}>
          {p.taskId === null ? (
            "—"
          ) : (
            <Typography.Text copyable data-testid="person-task-id">
              {p.taskId}
            </Typography.Text>
          )}
        </Descriptions.Item>
        <Descriptions.Item label={t("resultsView.evidence.callId")}>
          {p.callId === null ? "—" : <Typography.Text copyable>{p.callId}</Typography.Text>}
        </Descriptions.Item>
      </Descriptions>
    </div>
  );
}

/**
 * The saved file as an object URL: WebKitGTK's media player cannot read an app's own URI
 * scheme (tauri-apps/tauri#3725), but `fetch` can, so the bytes come through `fetch` and play
 * from memory. Recordings are small (a minute of 8 kHz WAV is under a megabyte).
 */
function useLocalAudio(source: string | null): { url: string | null; failed: boolean } {
  const [state, setState] = useState<{ source: string; url: string | null; failed: boolean }>({
    source: "",
    url: null,
    failed: false,
  });
  useEffect(() => {
    if (source === null) return;
    let cancelled = false;
    let made: string | null = null;
    fetch(source)
      .then((r) => (r.ok ? r.blob() : Promise.reject(new Error(String(r.status)))))
      .then(
        (blob) => {
          if (cancelled) return;
          made = URL.createObjectURL(blob);
          setState({ source, url: made, failed: false });
        },
        () => !cancelled && setState({ source, url: null, failed: true }),
      );
    return () => {
      cancelled = true;
      if (made !== null) URL.revokeObjectURL(made);
    };
  }, [source]);
  return state.source === source ? state : { url: null, failed: false };
}
