import type { ButtonProps } from 'antd';

/** Button props carrying a data-testid, for antd props that take an object (Modal okButtonProps). */
export function buttonTestId(id: string): ButtonProps {
  return { 'data-testid': id } as ButtonProps;
}
