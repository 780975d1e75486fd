// Đơn vị: the unit tree beside the selected unit's form, and the list of units.
import { ImportOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Col, Row, Space, Tabs, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { formatNumber } from '../../format';
import { useT } from '../../i18n';
import { useOrgUnits } from '../../orgUnits';
import type { OrgUnit, OrgUnitListItem } from '../../types';
import { DataTable } from '../../ui/DataTable';
import { PageHeader } from '../../ui/PageHeader';
import { OrgUnitCreateModal } from './OrgUnitCreateModal';
import { OrgUnitDetail } from './OrgUnitDetail';
import { OrgUnitImportModal } from './OrgUnitImportModal';
import { OrgUnitMoveModal } from './OrgUnitMoveModal';
import { OrgUnitTreePanel } from './OrgUnitTreePanel';

export default function OrgUnitsPage() {
  const t = useT();
  const { tree, selectedId: headerUnitId, reload } = useOrgUnits();
  const [selectedId, setSelectedId] = useState<number | null>(headerUnitId);
  const [version, setVersion] = useState(0);
  const [createParent, setCreateParent] = useState<number | null | undefined>(undefined);
  const [moving, setMoving] = useState<OrgUnit | null>(null);
  const [importing, setImporting] = useState(false);

  // The header's unit leads: choosing one there shows it here.
  useEffect(() => {
    if (headerUnitId !== null) setSelectedId(headerUnitId);
  }, [headerUnitId]);

  const changed = async (unit?: OrgUnit) => {
    await reload().catch(() => undefined);
    setVersion((n) => n + 1);
    if (unit) setSelectedId(unit.id);
  };

  return (
    <div>
      <PageHeader
        title={t('admin.orgUnits')}
        subtitle={t('orgUnit.count', { n: formatNumber(tree.byId.size) })}
        extra={
          <Space>
            <Button icon={<ImportOutlined />} onClick={() => setImporting(true)} data-testid="org-unit-import">
              {t('import.open')}
            </Button>
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setCreateParent(selectedId)}
              data-testid="org-unit-create"
            >
              {t('orgUnit.create')}
            </Button>
          </Space>
        }
      />
      <Tabs
        items={[
          {
            key: 'tree',
            label: t('orgUnit.treeTab'),
            children: (
              <Row gutter={16}>
                <Col xs={24} lg={9}>
                  <OrgUnitTreePanel selectedId={selectedId} onSelect={setSelectedId} height={560} />
                </Col>
                <Col xs={24} lg={15}>
                  <OrgUnitDetail
                    unitId={selectedId}
                    version={version}
                    onChanged={(unit) => changed(unit)}
                    onCreateChild={(parentId) => setCreateParent(parentId)}
                    onMove={setMoving}
                  />
                </Col>
              </Row>
            ),
          },
          { key: 'list', label: t('orgUnit.listTab'), children: <OrgUnitList version={version} /> },
        ]}
      />
      <OrgUnitCreateModal
        open={createParent !== undefined}
        parentId={createParent ?? null}
        onClose={() => setCreateParent(undefined)}
        onCreated={(unit) => {
          setCreateParent(undefined);
          void changed(unit);
        }}
      />
      <OrgUnitMoveModal
        unit={moving}
        onClose={() => setMoving(null)}
        onMoved={(unit) => {
          setMoving(null);
          void changed(unit);
        }}
      />
      <OrgUnitImportModal
        open={importing}
        onClose={() => setImporting(false)}
        onImported={() => {
          setImporting(false);
          void changed();
        }}
      />
    </div>
  );
}

function OrgUnitList({ version }: { version: number }) {
  const t = useT();
  const { filterUnitId, nameOf } = useOrgUnits();
  return (
    <DataTable<OrgUnitListItem>
      path="/org-units"
      rowKey="id"
      testId="org-units-table"
      reloadKey={version}
      params={{ rootId: filterUnitId }}
      searchPlaceholder={t('orgUnit.searchPlaceholder')}
      columns={[
        { title: t('orgUnit.code'), dataIndex: 'code', key: 'code', sorter: true },
        { title: t('orgUnit.name'), dataIndex: 'name', key: 'name', sorter: true },
        {
          title: t('orgUnit.kindLabel'),
          dataIndex: 'kind',
          key: 'kind',
          filterMultiple: false,
          filters: (['province', 'district', 'commune', 'agency'] as const).map((kind) => ({
            text: t(`orgUnit.kind.${kind}`),
            value: kind,
          })),
          sorter: true,
          render: (kind: OrgUnitListItem['kind']) => t(`orgUnit.kind.${kind}`),
        },
        { title: t('orgUnit.level'), dataIndex: 'level', key: 'level', sorter: true, align: 'right' },
        { title: t('orgUnit.parent'), dataIndex: 'parentId', key: 'parentName', render: (id: number | null) => nameOf(id) },
        {
          title: t('orgUnit.childCount'),
          dataIndex: 'childCount',
          key: 'childCount',
          align: 'right',
          render: (n: number) => formatNumber(n),
        },
        {
          title: t('common.status'),
          dataIndex: 'active',
          key: 'active',
          filterMultiple: false,
          filters: [
            { text: t('common.active'), value: 'true' },
            { text: t('common.inactive'), value: 'false' },
          ],
          render: (active: boolean) =>
            active ? <Tag color="green">{t('common.active')}</Tag> : <Tag>{t('common.inactive')}</Tag>,
        },
      ]}
    />
  );
}
