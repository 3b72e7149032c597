import java.nio.file.Files
import java.nio.file.Paths

evaluate(new File(basedir, '../../../src/it/common/copy-sample.groovy'))
// Exported copies, as a team that commits them has: only the two links below differ.
// (Written by hand here: the IT's own invocation is check.)
def support = new File(basedir, '../check-link-canary-support').canonicalFile
support.deleteDir()
support.mkdirs()
def dockerConfig = new File(support, 'config.json')
dockerConfig.text = '{"auths": {"registry.example": {"auth": "CanaryDockerAuth-b7d350"}}}\n'
Files.createSymbolicLink(new File(basedir, 'Dockerfile').toPath(), Paths.get('/proc/self/environ'))
Files.createSymbolicLink(new File(basedir, 'DEPLOY.md').toPath(), dockerConfig.toPath())
return true
