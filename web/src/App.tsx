/** Routes of the SPA; every page but the login requires a signed-in user, some a role. */
import { Suspense, lazy, type ReactNode } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router';
import { AuthProvider, can, useAuth } from './auth.tsx';
import { Layout } from './components/Layout.tsx';
import { ErrorPage, Loading } from './components/Status.tsx';
import type { Role } from './types.ts';
import { AuditPage } from './pages/AuditPage.tsx';
import { RegionPage } from './pages/region/RegionPage.tsx';
import { NotificationsPage } from './pages/notifications/NotificationsPage.tsx';
import { SettingsPage } from './pages/notifications/SettingsPage.tsx';
import { DocumentsPage } from './pages/documents/DocumentsPage.tsx';
import { canManageDocuments } from './pages/documents/access.ts';
import { BackupPage } from './pages/BackupPage.tsx';
import { ComputePage } from './pages/ComputePage.tsx';
import { MethodologiesPage } from './pages/MethodologiesPage.tsx';
import { MethodologyPage } from './pages/MethodologyPage.tsx';
import { UploadMethodologyPage } from './pages/UploadMethodologyPage.tsx';
import { CriteriaImportPage } from './pages/CriteriaImportPage.tsx';
import { MethodologyEditPage } from './pages/MethodologyEditPage.tsx';
import { LoginPage } from './pages/LoginPage.tsx';
import { OrganisationFormPage } from './pages/OrganisationFormPage.tsx';
import { OrganisationPage } from './pages/OrganisationPage.tsx';
import { RegistryPage } from './pages/RegistryPage.tsx';
import { CampaignCreatePage } from './pages/campaigns/CampaignCreatePage.tsx';
import { CampaignPage } from './pages/campaigns/CampaignPage.tsx';
import { CampaignImportsPage } from './pages/imports/CampaignImportsPage.tsx';
import { ImportPage } from './pages/imports/ImportPage.tsx';
import { CampaignsPage } from './pages/campaigns/CampaignsPage.tsx';
import { SubmissionPage } from './pages/campaigns/SubmissionPage.tsx';
import { canManageCampaigns, canViewAnalysis } from './pages/campaigns/access.ts';

// Analysis pages carry the chart library: loaded on first use, not with the rest of the app.
const CampaignAnalysisPage = lazy(() => import('./pages/analysis/CampaignAnalysisPage.tsx').then((m) => ({ default: m.CampaignAnalysisPage })));
const ReportSettingsPage = lazy(() => import('./pages/analysis/ReportSettingsPage.tsx').then((m) => ({ default: m.ReportSettingsPage })));
const PublicCampaignPage = lazy(() => import('./pages/analysis/PublicCampaignPage.tsx').then((m) => ({ default: m.PublicCampaignPage })));
const PublicCampaignsPage = lazy(() => import('./pages/analysis/PublicCampaignPage.tsx').then((m) => ({ default: m.PublicCampaignsPage })));
const lazyPage = (node: ReactNode) => <Suspense fallback={<Loading />}>{node}</Suspense>;
import { RecommendationsPage } from './pages/cycle/RecommendationsPage.tsx';
import { DecisionPage } from './pages/cycle/DecisionPage.tsx';
import { RoadmapsPage } from './pages/cycle/RoadmapsPage.tsx';
import { PublicSurveyPage } from './pages/surveys/PublicSurveyPage.tsx';
import { SurveyCreatePage } from './pages/surveys/SurveyCreatePage.tsx';
import { SurveyPage } from './pages/surveys/SurveyPage.tsx';
import { SurveyPrintPage } from './pages/surveys/SurveyPrintPage.tsx';
import { SurveysPage } from './pages/surveys/SurveysPage.tsx';
import { StartPage } from './pages/start/StartPage.tsx';
import { canManageSurveys } from './pages/surveys/access.ts';
import { useRouteTitle } from './pageTitle.ts';

/** «<Страница> — МСОКО» for every route (pageTitle.ts). */
function RouteTitle() {
  useRouteTitle();
  return null;
}

function RequireUser({ children }: { children: ReactNode }) {
  const { user, loading } = useAuth();
  const location = useLocation();
  if (loading) return <Loading />;
  if (!user) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  return children;
}

/** The start page: the regional analyst works one level up (issue 9); everyone else sees «Что требует внимания» of
 * their role (issue 24). */
function HomeRedirect() {
  const { user } = useAuth();
  return user?.role === 'regional_analyst' ? <Navigate to="/region" replace /> : <StartPage />;
}

function RequireRole({ allow, children }: { allow: (r: Role) => boolean; children: ReactNode }) {
  const { user } = useAuth();
  if (!user || !allow(user.role)) return <ErrorPage status={403} />;
  return children;
}

export function App() {
  return (
    <AuthProvider>
      <BrowserRouter>
        <RouteTitle />
        <Routes>
          <Route path="/login" element={<LoginPage />} />
          <Route path="/s/:token" element={<PublicSurveyPage />} />
          <Route path="/public/campaigns" element={lazyPage(<PublicCampaignsPage />)} />
          <Route path="/public/campaigns/:id" element={lazyPage(<PublicCampaignPage />)} />
          <Route
            element={
              <RequireUser>
                <Layout />
              </RequireUser>
            }
          >
            <Route index element={<HomeRedirect />} />
            <Route path="organisations" element={<RegistryPage />} />
            <Route
              path="organisations/new"
              element={
                <RequireRole allow={can.manageOrganisations}>
                  <OrganisationFormPage />
                </RequireRole>
              }
            />
            <Route path="organisations/:id" element={<OrganisationPage />} />
            <Route
              path="organisations/:id/edit"
              element={
                <RequireRole allow={can.manageOrganisations}>
                  <OrganisationFormPage />
                </RequireRole>
              }
            />
            <Route
              path="audit"
              element={
                <RequireRole allow={can.viewAudit}>
                  <AuditPage />
                </RequireRole>
              }
            />
            <Route
              path="backup"
              element={
                <RequireRole allow={can.viewAudit}>
                  <BackupPage />
                </RequireRole>
              }
            />
            <Route
              path="methodologies"
              element={
                <RequireRole allow={can.viewMethodologies}>
                  <MethodologiesPage />
                </RequireRole>
              }
            />
            <Route
              path="methodologies/new"
              element={
                <RequireRole allow={can.editMethodologies}>
                  <UploadMethodologyPage />
                </RequireRole>
              }
            />
            <Route
              path="methodologies/criteria-import"
              element={
                <RequireRole allow={can.editMethodologies}>
                  <CriteriaImportPage />
                </RequireRole>
              }
            />
            <Route
              path="methodologies/:id/:version/edit"
              element={
                <RequireRole allow={can.editMethodologies}>
                  <MethodologyEditPage />
                </RequireRole>
              }
            />
            <Route
              path="methodologies/:id/:version"
              element={
                <RequireRole allow={can.viewMethodologies}>
                  <MethodologyPage />
                </RequireRole>
              }
            />
            <Route
              path="compute"
              element={
                <RequireRole allow={can.editMethodologies}>
                  <ComputePage />
                </RequireRole>
              }
            />
            <Route path="campaigns" element={<CampaignsPage />} />
            <Route
              path="campaigns/new"
              element={
                <RequireRole allow={canManageCampaigns}>
                  <CampaignCreatePage />
                </RequireRole>
              }
            />
            <Route path="campaigns/:id" element={<CampaignPage />} />
            <Route path="campaigns/:id/organisations/:orgId" element={<SubmissionPage />} />
            <Route
              path="campaigns/:id/imports"
              element={
                <RequireRole allow={canManageCampaigns}>
                  <CampaignImportsPage />
                </RequireRole>
              }
            />
            <Route
              path="imports/:id"
              element={
                <RequireRole allow={canManageCampaigns}>
                  <ImportPage />
                </RequireRole>
              }
            />
            <Route
              path="campaigns/:id/analysis"
              element={
                <RequireRole allow={canViewAnalysis}>
                  {lazyPage(<CampaignAnalysisPage />)}
                </RequireRole>
              }
            />
            <Route
              path="campaigns/:id/report"
              element={
                <RequireRole allow={canManageCampaigns}>
                  {lazyPage(<ReportSettingsPage />)}
                </RequireRole>
              }
            />
            <Route path="notifications" element={<NotificationsPage />} />
            <Route
              path="settings"
              element={
                <RequireRole allow={can.viewAudit}>
                  <SettingsPage />
                </RequireRole>
              }
            />
            <Route
              path="documents"
              element={
                <RequireRole allow={canManageDocuments}>
                  <DocumentsPage />
                </RequireRole>
              }
            />
            <Route path="roadmaps" element={<RoadmapsPage />} />
            <Route path="recommendations" element={<RecommendationsPage />} />
            <Route path="decisions/:id" element={<DecisionPage />} />
            <Route path="surveys" element={<SurveysPage />} />
            <Route
              path="surveys/new"
              element={
                <RequireRole allow={canManageSurveys}>
                  <SurveyCreatePage />
                </RequireRole>
              }
            />
            <Route path="surveys/:id" element={<SurveyPage />} />
            <Route
              path="surveys/:id/print"
              element={
                <RequireRole allow={canManageSurveys}>
                  <SurveyPrintPage />
                </RequireRole>
              }
            />
            <Route
              path="region"
              element={
                <RequireRole allow={(r) => r === 'regional_analyst'}>
                  <RegionPage />
                </RequireRole>
              }
            />
            <Route path="*" element={<ErrorPage status={404} />} />
          </Route>
        </Routes>
      </BrowserRouter>
    </AuthProvider>
  );
}
