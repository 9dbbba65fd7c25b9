import { defineRule } from '../rule';
import { ModelIndex, dataRank, flowLabel, type DataLevel, type Located } from '../../model/architecture';
import { MODEL_HEADER } from '../shared/architecture';

export const archPipelineLevelExceedsSink = defineRule({
  id: 'FF101',
  pattern: 'FF',
  severity: 'error',
  title: 'Data flows into a sink that may not hold it',
  kinds: ['architecture'],
  hasFix: false,
  guidance: {
    why: 'A pipeline that starts processing and checks security levels per record finds the problem at runtime, after data leaked. Fail-Fast checks at construction: a pipeline whose source level exceeds the sink\'s maximum is refused before it runs. This finding is that check, at edit time.',
    fix: 'Lower what flows (redact or aggregate to the sink\'s level in a stage before it) or send it to a sink cleared for the source\'s level; and make the pipeline refuse to build on a mismatch.',
    bad: `${MODEL_HEADER}pipelines:\n  orders-to-analytics:\n    source: orders-db\n    sourceLevel: confidential\n    sink: analytics\n    sinkMaxLevel: internal`,
    good: `${MODEL_HEADER}pipelines:\n  orders-to-analytics:\n    source: orders-db\n    sourceLevel: internal\n    sink: analytics\n    sinkMaxLevel: internal`,
  },
  checkArchitecture(model, context) {
    if (model.dialect !== 'securebydesign') return;
    const index = new ModelIndex(model);
    const exceeds = (source: Located<DataLevel> | undefined, sink: Located<DataLevel> | undefined) => source && sink && dataRank(source.value) > dataRank(sink.value);
    for (const pipeline of model.pipelines) {
      const sourceComponent = pipeline.source ? index.components.get(pipeline.source.value) : undefined;
      const sinkComponent = pipeline.sink ? index.components.get(pipeline.sink.value) : undefined;
      const sourceLevel = pipeline.sourceLevel ?? sourceComponent?.dataLevel;
      const sinkMax = pipeline.sinkMaxLevel ?? sinkComponent?.maxDataLevel;
      if (!exceeds(sourceLevel, sinkMax)) continue;
      context.report({
        range: pipeline.sourceLevel?.range ?? pipeline.source?.range ?? pipeline.range,
        message: `Pipeline "${pipeline.id}" moves ${sourceLevel!.value} data from "${pipeline.source?.value ?? '?'}" into "${pipeline.sink?.value ?? '?'}", whose maximum is ${sinkMax!.value}: it must be refused at construction, not discovered per record.`,
        related: [{ message: `the sink's maximum level (${sinkMax!.value})`, range: sinkMax!.range }],
      });
    }
    for (const flow of model.flows) {
      const { source, target } = index.endpoints(flow);
      if (!flow.to || !exceeds(source?.dataLevel, target?.maxDataLevel)) continue;
      context.report({
        range: flow.to.range,
        message: `Flow "${flow.id}" (${flowLabel(flow)}) carries ${source!.dataLevel!.value} data into "${target!.id}", whose maximum is ${target!.maxDataLevel!.value}: the model itself says this flow must not exist.`,
        related: [{ message: `"${target!.id}" accepts at most ${target!.maxDataLevel!.value}`, range: target!.maxDataLevel!.range }],
      });
    }
  },
});
