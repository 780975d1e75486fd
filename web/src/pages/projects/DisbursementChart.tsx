// Capital disbursed by period, drawn by hand (the web app has no chart library): a bar per period
// and the cumulative line against the total capital.
import { formatNumber } from '../../format';
import { useT } from '../../i18n';
import { formatBillions } from './common';
import type { Disbursement } from './types';

const W = 720;
const H = 220;
const PAD = { top: 20, right: 12, bottom: 34, left: 48 };

export const periodLabel = (d: Pick<Disbursement, 'year' | 'quarter' | 'month'>) =>
  d.month ? `${String(d.month).padStart(2, '0')}/${d.year}` : d.quarter ? `Q${d.quarter}/${d.year}` : String(d.year);

export function DisbursementChart({ disbursements, totalCapital }: { disbursements: Disbursement[]; totalCapital: number }) {
  const t = useT();
  if (disbursements.length === 0) return null;
  const top = Math.max(totalCapital, ...disbursements.map((d) => d.cumulative)) || 1;
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const slot = plotW / disbursements.length;
  const y = (v: number) => PAD.top + plotH - (v / top) * plotH;
  const line = disbursements.map((d, i) => `${PAD.left + slot * (i + 0.5)},${y(d.cumulative)}`).join(' ');
  return (
    <svg viewBox={`0 0 ${W} ${H}`} className="pj-chart" role="img" aria-label={t('pj.disbursement.chart')} data-testid="pj-disbursement-chart">
      <line x1={PAD.left} x2={W - PAD.right} y1={y(totalCapital)} y2={y(totalCapital)} stroke="#cf1322" strokeDasharray="4 4" />
      <text x={W - PAD.right} y={y(totalCapital) - 4} textAnchor="end">
        {t('pj.disbursement.capitalLine', { amount: formatBillions(totalCapital) })}
      </text>
      {disbursements.map((d, i) => {
        const x = PAD.left + slot * i + slot * 0.2;
        return (
          <g key={d.id}>
            <rect x={x} y={y(d.amount)} width={slot * 0.6} height={PAD.top + plotH - y(d.amount)} fill="#69b1ff">
              <title>{`${periodLabel(d)}: ${formatNumber(d.amount)} đ`}</title>
            </rect>
            <text x={x + slot * 0.3} y={H - PAD.bottom + 16} textAnchor="middle">
              {periodLabel(d)}
            </text>
          </g>
        );
      })}
      <polyline points={line} fill="none" stroke="#0b4f9c" strokeWidth={2} />
      {disbursements.map((d, i) => (
        <circle key={d.id} cx={PAD.left + slot * (i + 0.5)} cy={y(d.cumulative)} r={3} fill="#0b4f9c">
          <title>{`${t('pj.disbursement.cumulative')}: ${formatNumber(d.cumulative)} đ`}</title>
        </circle>
      ))}
      <text x={PAD.left - 6} y={PAD.top + 4} textAnchor="end">
        {formatBillions(top)}
      </text>
      <text x={PAD.left - 6} y={PAD.top + plotH} textAnchor="end">
        0
      </text>
      <text x={4} y={12}>
        {t('pj.billionDong')}
      </text>
    </svg>
  );
}
