# {{title}} (`{{name}}`)

{{description}}

- Kind: workflow · tags: `custom` · produces artifacts of kind `{{name}}` (`resultArtifactId`)
- Source: [`{{workflowFile}}`](../../{{workflowFile}})
- Test: [`{{testFile}}`](../../{{testFile}}) — run it with `npx vitest run {{testFile}}`

## Examples

{{examplesList}}

## Parameters

| name | type | required | description | asked when missing |
| --- | --- | --- | --- | --- |
| `text` | string (1–100000 characters) | yes | The text to work on. | What text should I work on? |

## Nodes

1. `compute` — counts the characters, words and lines of `text`, stores the counts as a JSON
   `result` artifact of the session and hands on its id.

## Output

| field | type | description |
| --- | --- | --- |
| `resultArtifactId` | string | Id of the artifact holding `{ characters, words, lines }`. |
| `words` | integer | Number of words. |
| `artifacts` | string[] | Ids of every artifact the run stored. |

## Running it

Its nodes run on the `{{queue}}` queue: a worker process serves it with
`node --import tsx workers/nodes.ts {{queue}}` (or `npm start`, which serves every queue).

Ask for it in a session (e.g. “{{firstExample}}”), or start a run directly:

```http
POST /v1/sessions/<sessionId>/runs
Content-Type: application/json

{ "workflow": "{{name}}", "params": { "text": "hello world" } }
```

## Changing it

1. Edit `{{workflowFile}}`: the parameters, `compute{{pascal}}` and the output.
2. Update its test and this page to match.
3. Run `dataops-workflow validate`, then `dataops-workflow docs` to refresh `docs/workflows.md`.
