import { useState } from "react";
import { Button, Card, Col, Row, Typography } from "antd";
import { ExperimentOutlined, KeyOutlined } from "@ant-design/icons";
import { useTranslation } from "react-i18next";
import { commands } from "../bindings";
import { call } from "../api/errors";
import { useShowError } from "../api/feedback";
import { useSession } from "../state/session";
import { ProfileForm } from "./ProfileForm";
import { AccessKeyGuideLink } from "./AccessKeyGuide";

/** First run: connect an Alibaba Cloud account, or try everything against the simulator. */
export function ConnectionPanel() {
  const { t } = useTranslation();
  const { setDemo } = useSession();
  const showError = useShowError();
  const [starting, setStarting] = useState(false);

  const tryDemo = async () => {
    setStarting(true);
    try {
      setDemo(await call(() => commands.startDemo()));
    } catch (err) {
      showError(err);
    } finally {
      setStarting(false);
    }
  };

  return (
    <div data-testid="connection-panel">
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {t("connect.welcome")}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t("connect.intro")}</Typography.Paragraph>
      <Row gutter={[24, 24]}>
        <Col xs={24} lg={14}>
          <Card
            title={
              <span>
                <KeyOutlined /> {t("connect.addKey")}
              </span>
            }
          >
            <Typography.Paragraph type="secondary">{t("connect.addKeyHelp")}</Typography.Paragraph>
            <Typography.Paragraph>
              <AccessKeyGuideLink long />
            </Typography.Paragraph>
            <ProfileForm guideLink={false} />
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Card
            title={
              <span>
                <ExperimentOutlined /> {t("connect.demoTitle")}
              </span>
            }
          >
            <Typography.Paragraph>{t("connect.demoHelp")}</Typography.Paragraph>
            <Button
              size="large"
              onClick={() => void tryDemo()}
              loading={starting}
              data-testid="try-demo"
            >
              {t("connect.tryDemo")}
            </Button>
          </Card>
        </Col>
      </Row>
    </div>
  );
}
