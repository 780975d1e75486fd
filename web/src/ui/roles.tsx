import { Tag } from 'antd';
import type { Translate } from '../i18n';
import { type Grant, ROLES, type Role } from '../types';

const ROLE_COLORS: Record<Role, string> = {
  administrator: 'red',
  leader: 'gold',
  operator: 'blue',
  officer: 'cyan',
  citizen: 'default',
};

export function roleOptions(t: Translate) {
  return ROLES.map((role) => ({ value: role, label: t(`role.${role}`) }));
}

export function GrantTag({ grant, t, onClose }: { grant: Grant; t: Translate; onClose?: () => void }) {
  return (
    <Tag
      color={ROLE_COLORS[grant.role]}
      closable={!!onClose}
      onClose={(event) => {
        event.preventDefault();
        onClose?.();
      }}
      title={grant.orgUnitCode}
    >
      {t(`role.${grant.role}`)} · {grant.orgUnitName}
    </Tag>
  );
}
