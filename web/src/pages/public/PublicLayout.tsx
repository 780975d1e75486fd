// The frame of the citizens' pages: no sign-in, phone first, Vietnamese with the English switch.
import { Outlet, NavLink } from 'react-router-dom';
import { useT } from '../../i18n';
import { LanguageSwitch } from '../../ui/LanguageSwitch';

export default function PublicLayout() {
  const t = useT();
  return (
    <div className="pub-layout">
      <header className="pub-header">
        <NavLink to="/phan-anh" end className="pub-brand">
          <img src="/favicon.svg" alt="" width={26} height={26} />
          <span>{t('pub.brand')}</span>
        </NavLink>
        <LanguageSwitch />
      </header>
      <nav className="pub-nav">
        <NavLink to="/phan-anh" end data-testid="pub-nav-submit">
          {t('pub.nav.submit')}
        </NavLink>
        <NavLink to="/phan-anh/cong-khai" data-testid="pub-nav-list">
          {t('pub.nav.list')}
        </NavLink>
      </nav>
      <main className="pub-main">
        <Outlet />
      </main>
      <footer className="pub-footer muted">{t('pub.footer')}</footer>
    </div>
  );
}
