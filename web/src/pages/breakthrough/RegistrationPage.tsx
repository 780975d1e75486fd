// One unit's list for a year. Its unit's leaders and operators edit the items while it is a draft
// or returned, and submit it (refused, item by item, while a point of "5 rõ" is missing); the
// superior unit approves it (each item becomes a task) or returns it with comments, and reviews
// each item at the end of the year.
import { ArrowLeftOutlined, CheckOutlined, DeleteOutlined, EditOutlined, PlusOutlined, RollbackOutlined, SendOutlined, StarOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Descriptions, Form, Input, InputNumber, Popconfirm, Progress, Result, Select, Space, Spin, Table, Tag, Timeline } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { ApiError, api } from '../../api';
import { formatDate, formatDateTime } from '../../format';
import { type MessageKey, useI18n } from '../../i18n';
import { errorText, useApiError } from '../../ui/errors';
import { FormModal } from '../../ui/FormModal';
import { PageHeader } from '../../ui/PageHeader';
import { TimelinessTag, clearList } from '../tasks/labels';
import { ItemModal } from './ItemModal';
import { ClarityTag, ListStatusTag, ReviewTag, reviewLabel, targetText } from './labels';
import { type Item, REVIEW_RESULTS, type Registration, type ReviewResult, type UnclearItem } from './types';

export default function RegistrationPage() {
  const { t, lang } = useI18n();
  const { id } = useParams();
  const { message } = App.useApp();
  const showError = useApiError();
  const [list, setList] = useState<Registration | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [editing, setEditing] = useState<{ item: Item | null } | null>(null);
  const [returning, setReturning] = useState(false);
  const [reviewing, setReviewing] = useState<Item | null>(null);
  const [unclear, setUnclear] = useState<UnclearItem[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [returnForm] = Form.useForm<{ comments: string }>();
  const [reviewForm] = Form.useForm<{ result: ReviewResult; achievedValue?: number | null; note?: string }>();

  const load = useCallback(
    (signal?: AbortSignal) =>
      api
        .get<Registration>(`/breakthrough/registrations/${id}`, undefined, signal)
        .then(setList)
        .catch((error) => {
          if (!signal?.aborted) setLoadError(error);
        }),
    [id],
  );
  useEffect(() => {
    const controller = new AbortController();
    load(controller.signal);
    return () => controller.abort();
  }, [load]);

  const act = async (work: () => Promise<Registration>, done: MessageKey) => {
    setBusy(true);
    try {
      setList(await work());
      setUnclear(null);
      message.success(t(done));
    } catch (error) {
      if (error instanceof ApiError && error.code === 'BREAKTHROUGH_NOT_CLEAR') setUnclear((error.data?.items as UnclearItem[]) ?? []);
      else showError(error);
      // A conflict means someone else changed the list: show it as it is now.
      if (error instanceof ApiError && error.status === 409) load();
    } finally {
      setBusy(false);
    }
  };

  if (loadError) {
    return (
      <Result
        status={loadError instanceof ApiError && loadError.status === 404 ? '404' : 'error'}
        title={errorText(loadError, lang, t)}
        extra={
          <Link to="/breakthrough/lists">
            <Button>{t('bt.list.back')}</Button>
          </Link>
        }
      />
    );
  }
  if (!list) {
    return (
      <div className="full-page-spin">
        <Spin size="large" />
      </div>
    );
  }

  const base = `/breakthrough/registrations/${list.id}`;
  const columns = [
    { title: t('bt.col.no'), dataIndex: 'position', width: 56 },
    {
      title: t('bt.col.title'),
      key: 'title',
      width: 320,
      render: (_: unknown, item: Item) => (
        <>
          <div>{item.title}</div>
          {item.expectedResult && <div className="bt-muted">{item.expectedResult}</div>}
        </>
      ),
    },
    { title: t('bt.col.target'), key: 'target', width: 110, render: (_: unknown, item: Item) => targetText(item.targetValue, item.targetUnit) },
    { title: t('bt.col.lead'), key: 'lead', width: 150, render: (_: unknown, item: Item) => item.leadUnit?.name },
    { title: t('bt.col.assignee'), key: 'assignee', width: 150, render: (_: unknown, item: Item) => item.assignee?.fullName },
    { title: t('bt.col.due'), key: 'due', width: 100, render: (_: unknown, item: Item) => formatDate(item.dueOn) },
    list.status === 'approved'
      ? {
          title: t('bt.col.progress'),
          key: 'task',
          width: 190,
          render: (_: unknown, item: Item) =>
            item.task && (
              <>
                <Link to={`/tasks/${item.task.id}`}>{item.task.code}</Link>
                <Progress percent={Math.round(item.task.progress * 10) / 10} size="small" />
                <TimelinessTag value={item.task.timeliness} t={t} />
              </>
            ),
        }
      : { title: t('bt.col.clarity'), key: 'clarity', width: 180, render: (_: unknown, item: Item) => <ClarityTag item={item} t={t} /> },
    {
      title: list.status === 'approved' ? t('bt.col.review') : '',
      key: 'actions',
      width: 150,
      render: (_: unknown, item: Item) => (
        <Space wrap>
          <ReviewTag item={item} t={t} />
          {list.can.edit && (
            <>
              <Button size="small" icon={<EditOutlined />} onClick={() => setEditing({ item })} data-testid={`bt-item-edit-${item.position}`} />
              <Popconfirm
                title={t('bt.item.deleteConfirm')}
                okText={t('common.delete')}
                cancelText={t('common.cancel')}
                onConfirm={() => act(() => api.delete<Registration>(`${base}/items/${item.id}?version=${list.version}`), 'common.saved')}
              >
                <Button size="small" danger icon={<DeleteOutlined />} data-testid={`bt-item-delete-${item.position}`} />
              </Popconfirm>
            </>
          )}
          {list.can.assess && (
            <Button
              size="small"
              icon={<StarOutlined />}
              onClick={() => {
                setReviewing(item);
                reviewForm.setFieldsValue({ result: item.review?.result ?? 'achieved', achievedValue: item.review?.achievedValue ?? null, note: item.review?.note ?? '' });
              }}
              data-testid={`bt-item-review-${item.position}`}
            >
              {t('bt.action.review')}
            </Button>
          )}
        </Space>
      ),
    },
  ];

  return (
    <div data-testid="bt-registration-page">
      <PageHeader
        title={t('bt.list.title', { year: list.year, unit: list.unit.name })}
        subtitle={list.superiorUnit ? t('bt.list.superior', { unit: list.superiorUnit.name }) : t('bt.list.noSuperior')}
        extra={
          <Space wrap>
            <Link to="/breakthrough/lists">
              <Button icon={<ArrowLeftOutlined />}>{t('bt.list.back')}</Button>
            </Link>
            {list.can.edit && (
              <Button icon={<PlusOutlined />} onClick={() => setEditing({ item: null })} data-testid="bt-item-add">
                {t('bt.item.add')}
              </Button>
            )}
            {list.can.submit && (
              <Button type="primary" icon={<SendOutlined />} loading={busy} onClick={() => act(() => api.post<Registration>(`${base}/submit`, { version: list.version }), 'bt.done.submitted')} data-testid="bt-submit">
                {t('bt.action.submit')}
              </Button>
            )}
            {list.can.review && (
              <>
                <Button icon={<RollbackOutlined />} onClick={() => setReturning(true)} data-testid="bt-return">
                  {t('bt.action.return')}
                </Button>
                <Popconfirm
                  title={t('bt.action.approveConfirm')}
                  okText={t('bt.action.approve')}
                  cancelText={t('common.cancel')}
                  onConfirm={() => act(() => api.post<Registration>(`${base}/approve`, { version: list.version }), 'bt.done.approved')}
                >
                  <Button type="primary" icon={<CheckOutlined />} loading={busy} data-testid="bt-approve">
                    {t('bt.action.approve')}
                  </Button>
                </Popconfirm>
              </>
            )}
          </Space>
        }
      />
      <Descriptions size="small" className="section-gap-bottom" column={{ xs: 1, md: 3 }}>
        <Descriptions.Item label={t('common.status')}>
          <ListStatusTag status={list.status} t={t} />
          {list.round > 1 && <Tag>{t('bt.list.round', { n: list.round })}</Tag>}
        </Descriptions.Item>
        <Descriptions.Item label={t('bt.col.items')}>{list.items.length}</Descriptions.Item>
        <Descriptions.Item label={t('bt.col.updated')}>{formatDateTime(list.updatedAt)}</Descriptions.Item>
      </Descriptions>
      {list.status === 'returned' && list.returnComments && (
        <Alert type="warning" showIcon className="section-gap-bottom" title={t('bt.list.returned')} description={list.returnComments} data-testid="bt-return-comments" />
      )}
      {unclear && (
        <Alert
          type="error"
          showIcon
          className="section-gap-bottom"
          title={t('bt.refusal.title')}
          data-testid="bt-refusal"
          description={
            <ul>
              {unclear.map((u) => (
                <li key={u.itemId}>{t('bt.refusal.item', { n: u.position, labels: clearList(t, u.missing) })}</li>
              ))}
            </ul>
          }
        />
      )}
      <Card size="small" className="section-gap-bottom">
        <Table<Item> rowKey="id" size="small" dataSource={list.items} columns={columns} pagination={false} scroll={{ x: 1300 }} data-testid="bt-items" />
      </Card>
      <Card size="small" title={t('bt.list.history')}>
        <Timeline
          items={list.events.map((e) => ({
            children: (
              <>
                <strong>{t(`bt.event.${e.type}` as MessageKey)}</strong> · {formatDateTime(e.at)}
                {e.actor && ` · ${e.actor.fullName}`}
                {e.comments && <div className="bt-muted">{e.comments}</div>}
              </>
            ),
          }))}
        />
      </Card>
      {editing && (
        <ItemModal
          list={list}
          item={editing.item}
          open
          onClose={() => setEditing(null)}
          onSaved={(saved) => {
            setList(saved);
            setUnclear(null);
            setEditing(null);
          }}
        />
      )}
      <FormModal<{ comments: string }>
        open={returning}
        title={t('bt.action.returnTitle')}
        okText={t('bt.action.return')}
        onClose={() => setReturning(false)}
        form={returnForm}
        send={async ({ comments }) => {
          setList(await api.post<Registration>(`${base}/return`, { version: list.version, comments }));
          setReturning(false);
          return t('bt.done.returned');
        }}
        formTestId="bt-return-form"
        okTestId="bt-return-ok"
      >
        <Form.Item name="comments" label={t('bt.action.comments')} rules={[{ required: true, whitespace: true }, { max: 4000 }]}>
          <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} data-testid="bt-return-comments-input" />
        </Form.Item>
      </FormModal>
      <FormModal<{ result: ReviewResult; achievedValue?: number | null; note?: string }>
        open={reviewing !== null}
        title={t('bt.action.reviewTitle', { title: reviewing?.title ?? '' })}
        okText={t('common.save')}
        onClose={() => setReviewing(null)}
        form={reviewForm}
        send={async (values) => {
          if (!reviewing) return;
          const body = { version: list.version, result: values.result, achievedValue: values.achievedValue ?? null, note: values.note?.trim() ? values.note.trim() : null };
          setList(await api.put<Registration>(`${base}/items/${reviewing.id}/review`, body));
          setReviewing(null);
          return t('bt.done.reviewed');
        }}
        formTestId="bt-review-form"
        okTestId="bt-review-ok"
      >
        <Form.Item name="result" label={t('bt.action.result')} rules={[{ required: true }]}>
          <Select options={REVIEW_RESULTS.map((r) => ({ value: r, label: reviewLabel(t, r) }))} />
        </Form.Item>
        <Form.Item name="achievedValue" label={`${t('bt.action.achievedValue')}${reviewing?.targetUnit ? ` (${reviewing.targetUnit})` : ''}`}>
          <InputNumber min={0} />
        </Form.Item>
        <Form.Item name="note" label={t('bt.action.note')} rules={[{ max: 4000 }]}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} />
        </Form.Item>
      </FormModal>
    </div>
  );
}
