import { defineRule } from '../rule';
import { isWorkload } from '../../model/kubernetes';
import { MODEL_HEADER } from '../shared/architecture';
import { componentsOf, componentsOfService, componentsOfWorkload, systemScopes } from '../../model/systems';

export const archDriftUnmodelledDeployment = defineRule({
  id: 'BND106',
  pattern: 'BND',
  severity: 'warning',
  title: 'Deployed service or workload implements no component of the model',
  kinds: ['architecture'],
  hasFix: false,
  guidance: {
    why: 'The architecture model is where zones, flows and controls are decided. A compose service or workload the model does not know runs outside every boundary the model reasons about: the deployment has drifted from the design.',
    fix: 'Add the component to the model (with its zone and flows) and map it with `implementedBy`, or remove the service from the deployment.',
    bad: `${MODEL_HEADER}components:\n  orders:\n    implementedBy:\n      compose: [orders]\n---\nservices:\n  orders:\n    image: shop/orders:1.4.2\n  debug-shell:\n    image: busybox:1.36`,
    good: `${MODEL_HEADER}components:\n  orders:\n    implementedBy:\n      compose: [orders]\n---\nservices:\n  orders:\n    image: shop/orders:1.4.2`,
  },
  checkWorkspace(documents, context) {
    for (const scope of systemScopes(documents)) {
      const components = componentsOf(scope);
      if (components.length === 0) continue;
      const modelPart = scope.models.find((part) => part.model.sectionKeys.components) ?? scope.models[0];
      const relatedElsewhere = [{ message: 'the architecture model\'s components', document: modelPart.document, range: modelPart.model.sectionKeys.components ?? modelPart.model.sectionKeys.kind ?? { start: 0, end: 0 } }];
      for (const { document, model } of scope.compose) {
        for (const service of model.services) {
          if (componentsOfService(scope, service).length > 0) continue;
          context.report({
            document,
            range: service.keyRange,
            message: `Compose service "${service.name}" implements no component of the architecture model: it runs outside every zone and flow the model reasons about.`,
            relatedElsewhere,
          });
        }
      }
      for (const { document, object } of scope.kubernetes) {
        if (!isWorkload(object) || componentsOfWorkload(scope, object).length > 0) continue;
        context.report({
          document,
          range: object.subjectRange,
          message: `${object.kind} "${object.name ?? '?'}" implements no component of the architecture model: it runs outside every zone and flow the model reasons about.`,
          relatedElsewhere,
        });
      }
    }
  },
});
