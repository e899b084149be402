/** Routes of the SPA; every page but the login requires a signed-in user, some a role. */
import type { ReactNode } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router';
import { AuthProvider, can, useAuth } from './auth.tsx';
import { Layout } from './components/Layout.tsx';
import { ErrorPage, Loading } from './components/Status.tsx';
import type { Role } from './types.ts';
import { AuditPage } from './pages/AuditPage.tsx';
import { ComputePage } from './pages/ComputePage.tsx';
import { MethodologiesPage } from './pages/MethodologiesPage.tsx';
import { MethodologyPage } from './pages/MethodologyPage.tsx';
import { UploadMethodologyPage } from './pages/UploadMethodologyPage.tsx';
import { LoginPage } from './pages/LoginPage.tsx';
import { OrganisationFormPage } from './pages/OrganisationFormPage.tsx';
import { OrganisationPage } from './pages/OrganisationPage.tsx';
import { RegistryPage } from './pages/RegistryPage.tsx';
import { CampaignCreatePage } from './pages/campaigns/CampaignCreatePage.tsx';
import { CampaignPage } from './pages/campaigns/CampaignPage.tsx';
import { CampaignsPage } from './pages/campaigns/CampaignsPage.tsx';
import { SubmissionPage } from './pages/campaigns/SubmissionPage.tsx';
import { canManageCampaigns } from './pages/campaigns/access.ts';
import { RecommendationsPage } from './pages/cycle/RecommendationsPage.tsx';
import { RoadmapsPage } from './pages/cycle/RoadmapsPage.tsx';
import { PublicSurveyPage } from './pages/surveys/PublicSurveyPage.tsx';
import { SurveyCreatePage } from './pages/surveys/SurveyCreatePage.tsx';
import { SurveyPage } from './pages/surveys/SurveyPage.tsx';
import { SurveyPrintPage } from './pages/surveys/SurveyPrintPage.tsx';
import { SurveysPage } from './pages/surveys/SurveysPage.tsx';
import { canManageSurveys } from './pages/surveys/access.ts';

function RequireUser({ children }: { children: ReactNode }) {
  const { user, loading } = useAuth();
  const location = useLocation();
  if (loading) return <Loading />;
  if (!user) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  return children;
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
        <Routes>
          <Route path="/login" element={<LoginPage />} />
          <Route path="/s/:token" element={<PublicSurveyPage />} />
          <Route
            element={
              <RequireUser>
                <Layout />
              </RequireUser>
            }
          >
            <Route index element={<Navigate to="/organisations" replace />} />
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
            <Route path="roadmaps" element={<RoadmapsPage />} />
            <Route path="recommendations" element={<RecommendationsPage />} />
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
            <Route path="*" element={<ErrorPage status={404} />} />
          </Route>
        </Routes>
      </BrowserRouter>
    </AuthProvider>
  );
}
