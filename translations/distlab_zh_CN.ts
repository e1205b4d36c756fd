<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>Core</name>
    <message>
        <location filename="../app/net_bridge.cpp" line="+101"/>
        <source>cannot find the node program %1</source>
        <translation>找不到节点程序 %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>build distlab-node beside distlab, or set DISTLAB_NODE to its path</source>
        <translation>请在 distlab 旁构建 distlab-node，或把 DISTLAB_NODE 设为它的路径</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>cannot create %1</source>
        <translation>无法创建 %1</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>cannot write %1</source>
        <translation>无法写入 %1</translation>
    </message>
    <message>
        <location line="+19"/>
        <location line="+201"/>
        <source>no free port on 127.0.0.1</source>
        <translation>127.0.0.1 上没有空闲端口</translation>
    </message>
    <message>
        <location line="-5"/>
        <location filename="../core/session/net_session.cpp" line="+690"/>
        <source>there is a node &apos;%1&apos; already</source>
        <translation>已经有一个节点“%1”</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>&apos;%1&apos; is not HOST:PORT</source>
        <translation>“%1”不是 HOST:PORT</translation>
    </message>
    <message>
        <location line="+16"/>
        <location line="+35"/>
        <location line="+18"/>
        <location filename="../core/labs/kv/kv_lab.cpp" line="+39"/>
        <location filename="../core/labs/lock/lock_lab.cpp" line="+359"/>
        <location filename="../core/session/net_session.cpp" line="-669"/>
        <location filename="../core/session/session.cpp" line="+193"/>
        <location line="+83"/>
        <location line="+262"/>
        <location filename="../core/session/sim_control_plane.cpp" line="+13"/>
        <location line="+2"/>
        <location filename="../core/sim/world.cpp" line="+93"/>
        <source>unknown node &apos;%1&apos;</source>
        <translation>未知节点“%1”</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 runs on another machine</source>
        <translation>%1 运行在另一台机器上</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>start it there again with the same command</source>
        <translation>请在那台机器上用同样的命令重新启动它</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 did not end after SIGKILL; try again</source>
        <translation>%1 在 SIGKILL 之后没有结束；请再试一次</translation>
    </message>
    <message>
        <location filename="../core/labs/kv/kv_lab.cpp" line="+1"/>
        <location filename="../core/labs/lock/lock_lab.cpp" line="-37"/>
        <location line="+37"/>
        <location filename="../core/session/net_session.cpp" line="+1"/>
        <location filename="../core/session/session.cpp" line="-344"/>
        <location line="+344"/>
        <location filename="../core/sim/world.cpp" line="+0"/>
        <source>type &apos;status&apos; to list the nodes</source>
        <translation>输入 status 查看所有节点</translation>
    </message>
    <message>
        <location filename="../core/sim/world.cpp" line="+23"/>
        <source>a node needs a non-empty id</source>
        <translation>节点 ID 不能为空</translation>
    </message>
    <message>
        <location filename="../core/labs/counter/counter_lab.cpp" line="+203"/>
        <location filename="../core/labs/kv/kv_lab.cpp" line="+174"/>
        <location filename="../core/sim/world.cpp" line="+4"/>
        <source>node &apos;%1&apos; already exists</source>
        <translation>节点“%1”已存在</translation>
    </message>
    <message>
        <location filename="../core/sim/world.cpp" line="+1"/>
        <source>pick another id</source>
        <translation>请换一个 ID</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>cannot add &apos;%1&apos;: the limit of %2 nodes is reached</source>
        <translation>无法添加“%1”：已达到 %2 个节点的上限</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+99"/>
        <source>node &apos;%1&apos; has no factory</source>
        <translation>节点“%1”没有构造函数</translation>
    </message>
    <message>
        <location filename="../core/session/session.cpp" line="-197"/>
        <location filename="../core/sim/world.cpp" line="-49"/>
        <source>node &apos;%1&apos; is already down</source>
        <translation>节点“%1”已经宕机</translation>
    </message>
    <message>
        <location filename="../core/labs/lock/lock_lab.cpp" line="-104"/>
        <location line="+51"/>
        <location line="+19"/>
        <location line="+14"/>
        <location filename="../core/labs/mq/mq_lab.cpp" line="+147"/>
        <location filename="../core/labs/txn/txn_lab.cpp" line="+110"/>
        <location filename="../core/sim/world.cpp" line="+1"/>
        <source>restart it with &apos;node restart %1&apos;</source>
        <translation>用 node restart %1 重启它</translation>
    </message>
    <message>
        <location filename="../core/session/net_session.cpp" line="+569"/>
        <location line="+115"/>
        <location filename="../core/session/session.cpp" line="-62"/>
        <location filename="../core/sim/world.cpp" line="+1"/>
        <source>node &apos;%1&apos; was removed</source>
        <translation>节点“%1”已被移除</translation>
    </message>
    <message>
        <location filename="../core/sim/world.cpp" line="+10"/>
        <source>node &apos;%1&apos; is not down</source>
        <translation>节点“%1”没有宕机</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>only a crashed node can be restarted</source>
        <translation>只有崩溃的节点才能重启</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>a pause needs a positive duration</source>
        <translation>暂停时长必须为正数</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>node &apos;%1&apos; is not running</source>
        <translation>节点“%1”没有在运行</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>restart it first</source>
        <translation>请先重启它</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>node &apos;%1&apos; was already removed</source>
        <translation>节点“%1”已经被移除</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>a partition needs at least two groups</source>
        <translation>网络分区至少需要两组节点</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>cannot cut a node from itself</source>
        <translation>不能把节点与自身断开</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>node &apos;%1&apos; is not up</source>
        <translation>节点“%1”未在运行</translation>
    </message>
    <message>
        <location filename="../core/labs/kv/kv_lab.cpp" line="-106"/>
        <source>node &apos;%1&apos; cannot join the ring</source>
        <translation>节点“%1”无法加入哈希环</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the ring allows at most %1 nodes</source>
        <translation>哈希环最多容纳 %1 个节点</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>%1: %2 of %3 sample keys moved (%4%); modulo hashing would move %5 (%6%)</source>
        <translation>%1：%3 个样本键中有 %2 个迁移（%4%）；取模哈希会迁移 %5 个（%6%）</translation>
    </message>
    <message>
        <location filename="../core/session/session.cpp" line="+9"/>
        <source>%1 will crash as soon as it has handled %2 more %3 message(s)</source>
        <translation>%1 将在再处理 %2 条 %3 消息后立即崩溃</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 will crash as soon as it has sent %2 more %3 message(s)</source>
        <translation>%1 将在再发送 %2 条 %3 消息后立即崩溃</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 will crash as soon as it has entered %2 %3 more time(s)</source>
        <translation>%1 将在再进入 %2 状态 %3 次后立即崩溃</translation>
    </message>
    <message>
        <location line="+71"/>
        <source>&apos;%1&apos; cannot run from a schedule</source>
        <translation>“%1”不能在计划中执行</translation>
    </message>
    <message>
        <location filename="../core/labs/kv/kv_lab.cpp" line="+71"/>
        <source>&apos;%1&apos; is not a ring node</source>
        <translation>“%1”不是哈希环上的节点</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>only servers (n1, n2, ...) can be changed this way</source>
        <translation>只有服务器节点（n1、n2……）可以这样操作</translation>
    </message>
    <message>
        <location filename="../core/session/net_session.cpp" line="-673"/>
        <source>&apos;%1&apos; works in the simulator only: these processes run in real time</source>
        <translation>“%1”只能在模拟器中使用：这些进程以真实时间运行</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cluster &gt; Stop cluster goes back to the simulator</source>
        <translation>集群 &gt; 停止集群 可回到模拟器</translation>
    </message>
    <message>
        <location line="+69"/>
        <source>cannot add &apos;%1&apos;: a cluster of processes keeps the nodes it was launched with</source>
        <translation>无法添加“%1”：进程集群保持启动时的节点</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>add the node to the scenario and launch the cluster again</source>
        <translation>请把该节点加入场景，然后重新启动集群</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>%1 is off the ring, but its process did not stop: %2</source>
        <translation>%1 已离开哈希环，但它的进程没有停止：%2</translation>
    </message>
    <message>
        <location line="+14"/>
        <location line="+526"/>
        <source>no lab of this scenario adds or removes nodes</source>
        <translation>本场景没有可以添加或移除节点的实验</translation>
    </message>
    <message>
        <location line="-508"/>
        <source>refused a join as %1 from %2: %1 is up</source>
        <translation>拒绝了来自 %2、以 %1 身份的加入：%1 正在运行</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>refused a join as %1: %2 nodes of other machines already</source>
        <translation>拒绝了以 %1 身份的加入：已有 %2 个其他机器上的节点</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>%1 joined at %2, but cannot be observed: %3</source>
        <translation>%1 已在 %2 加入，但无法观察它：%3</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>%1 joined, but the labs cannot add it: %2</source>
        <translation>%1 已加入，但实验无法添加它：%2</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 joined at %2</source>
        <translation>%1 已在 %2 加入</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>%1 left, but the labs cannot remove it: %2</source>
        <translation>%1 已离开，但实验无法移除它：%2</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 left the cluster</source>
        <translation>%1 已离开集群</translation>
    </message>
    <message>
        <location line="+120"/>
        <source>%1 is up again</source>
        <translation>%1 已重新上线</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 is reachable again</source>
        <translation>%1 又可以连通了</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>%1 is unreachable: %2</source>
        <translation>%1 无法连通：%2</translation>
    </message>
    <message>
        <location line="+68"/>
        <source>%1 answers again</source>
        <translation>%1 又有应答了</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>%1 refused a command: %2</source>
        <translation>%1 拒绝了一条命令：%2</translation>
    </message>
    <message>
        <location line="+84"/>
        <location line="+119"/>
        <location filename="../core/session/session.cpp" line="+116"/>
        <source>&apos;ctl&apos; is the membership service and stays up in this lab</source>
        <translation>ctl 是成员管理服务，在本实验中始终保持运行</translation>
    </message>
    <message>
        <location line="-118"/>
        <source>%1 is down already</source>
        <translation>%1 已经宕机</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>%1 is running</source>
        <translation>%1 正在运行</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>kill it first: node kill %1</source>
        <translation>请先杀死它：node kill %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 is still starting</source>
        <translation>%1 仍在启动中</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>starting %1 again on its data directory</source>
        <translation>正在用原数据目录重新启动 %1</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>networked: %1 processes of scenario %2, %3 trace events</source>
        <translation>联网模式：场景 %2 的 %1 个进程，%3 个轨迹事件</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>  %1 up</source>
        <translation>  %1 运行中</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>  %1 unreachable (%2)</source>
        <translation>  %1 无法连通（%2）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>  %1 down</source>
        <translation>  %1 已宕机</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>  %1 starting</source>
        <translation>  %1 启动中</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>name the new node: node add ID</source>
        <translation>请为新节点命名：node add ID</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>for example: node add n9</source>
        <translation>例如：node add n9</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>starting %1: the labs add it once it has joined through ctl</source>
        <translation>正在启动 %1：它通过 ctl 加入后，实验会添加它</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>stopped %1 before it joined</source>
        <translation>在 %1 加入之前停止了它</translation>
    </message>
    <message>
        <location filename="../core/session/session.cpp" line="+1"/>
        <source>cut it off with &apos;partition&apos; or &apos;cut&apos; to see what missing ring updates do</source>
        <translation>可以用 partition 或 cut 将它隔离，观察收不到环更新会发生什么</translation>
    </message>
    <message>
        <location filename="../core/labs/counter/counter_lab.cpp" line="-2"/>
        <location line="+3"/>
        <location filename="../core/labs/kv/kv_lab.cpp" line="-17"/>
        <source>pick another id, or leave it out</source>
        <translation>请换一个 ID，或者不指定 ID</translation>
    </message>
    <message>
        <location filename="../core/labs/kv/kv_lab.cpp" line="+2"/>
        <source>the ring already has %1 nodes, the most the demo store supports</source>
        <translation>哈希环已有 %1 个节点，这是演示存储支持的上限</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>remove a node first</source>
        <translation>请先移除一个节点</translation>
    </message>
    <message>
        <location filename="../core/labs/mq/mq_lab.cpp" line="-1"/>
        <source>%1 is down, so nothing would happen</source>
        <translation>%1 已宕机，因此什么也不会发生</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>cannot start the queue lab: node &apos;%1&apos; already exists</source>
        <translation>无法启动队列实验：节点“%1”已存在</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the queue lab needs the ids mq-broker, mq-prod and mq-ledger for itself</source>
        <translation>队列实验需要自用的节点名 mq-broker、mq-prod 和 mq-ledger</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>&apos;%1&apos; ends in .dlq, which names dead-letter queues</source>
        <translation>“%1”以 .dlq 结尾，这是死信队列专用的名字</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the broker makes &lt;queue&gt;.dlq itself when a message of &lt;queue&gt; is dead-lettered</source>
        <translation>当 &lt;queue&gt; 中的消息被转入死信队列时，代理会自行创建 &lt;queue&gt;.dlq</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>queue &apos;%1&apos; is already declared durable</source>
        <translation>队列“%1”已声明为持久化队列</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>queue &apos;%1&apos; is already declared transient</source>
        <translation>队列“%1”已声明为临时队列</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>a queue keeps the durability it was declared with, as in AMQP</source>
        <translation>与 AMQP 一样，队列会保持声明时的持久性设置</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&apos;%1&apos; is an exchange</source>
        <translation>“%1”是一个交换机</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+24"/>
        <source>queues and exchanges need different names</source>
        <translation>队列和交换机不能同名</translation>
    </message>
    <message>
        <location line="-18"/>
        <source>declared durable queue %1: it and its persistent messages survive a broker restart</source>
        <translation>已声明持久化队列 %1：代理重启后，该队列及其中的持久消息仍会保留</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>declared transient queue %1: a broker restart loses it and its messages</source>
        <translation>已声明临时队列 %1：代理重启会丢失该队列及其消息</translation>
    </message>
    <message>
        <location line="+10"/>
        <location line="+46"/>
        <source>no queue named &apos;%1&apos;</source>
        <translation>没有名为“%1”的队列</translation>
    </message>
    <message>
        <location line="-45"/>
        <location line="+17"/>
        <location line="+29"/>
        <source>declare it first: queue declare %1</source>
        <translation>请先声明它：queue declare %1</translation>
    </message>
    <message>
        <location line="-44"/>
        <source>&apos;%1&apos; is a queue</source>
        <translation>“%1”是一个队列</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>bound %2 to the fanout exchange %1: every message published to %1 is copied into %2</source>
        <translation>已将 %2 绑定到扇出交换机 %1：发布到 %1 的每条消息都会复制一份到 %2</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>no queue or exchange named &apos;%1&apos;</source>
        <translation>没有名为“%1”的队列或交换机</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>%1 will push %2 messages to the subscribers of %3, one every %4 ms, without acknowledgements</source>
        <translation>%1 将向 %3 的订阅者推送 %2 条消息，每 %4 毫秒一条，不需要确认</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 will publish %2 persistent messages to %3, one every %4 ms</source>
        <translation>%1 将向 %3 发布 %2 条持久消息，每 %4 毫秒一条</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 will publish %2 transient messages to %3, one every %4 ms</source>
        <translation>%1 将向 %3 发布 %2 条临时消息，每 %4 毫秒一条</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>node &apos;%1&apos; already exists and is not a consumer</source>
        <translation>节点“%1”已存在，且不是消费者</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+4"/>
        <source>name the consumer differently, e.g. w1</source>
        <translation>请给消费者换一个名字，例如 w1</translation>
    </message>
    <message>
        <location filename="../core/labs/kv/kv_lab.cpp" line="+2"/>
        <location filename="../core/labs/mq/mq_lab.cpp" line="-1"/>
        <source>&apos;%1&apos; is reserved for the lab&apos;s own processes</source>
        <translation>“%1”保留给实验自身的进程使用</translation>
    </message>
    <message>
        <location filename="../core/labs/mq/mq_lab.cpp" line="+37"/>
        <source>%1 consumes %2 (prefetch %3) and holds each delivery until &apos;ack %1&apos; or &apos;nack %1&apos;</source>
        <translation>%1 消费 %2（预取 %3），并持有每次投递，直到执行 &apos;ack %1&apos; 或 &apos;nack %1&apos;</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 consumes %2 (prefetch %3, %4 ms per message), idempotent: the ledger applies each message id once</source>
        <translation>%1 消费 %2（预取 %3，每条消息 %4 毫秒），幂等：每个消息 ID 在账本上只生效一次</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 consumes %2 (prefetch %3, %4 ms per message), not idempotent: a redelivery applies its effect again</source>
        <translation>%1 消费 %2（预取 %3，每条消息 %4 毫秒），非幂等：重新投递会让消息的效果再次生效</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>&apos;%1&apos; is not a consumer</source>
        <translation>“%1”不是消费者</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>start one with &apos;consume QUEUE %1 --manual&apos;</source>
        <translation>用 &apos;consume QUEUE %1 --manual&apos; 启动一个消费者</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 acknowledges on its own</source>
        <translation>%1 会自动确认</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>make it manual with &apos;consume %1 %2 --manual&apos;</source>
        <translation>用 &apos;consume %1 %2 --manual&apos; 将其改为手动确认</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>%1 will process its oldest delivery and acknowledge it</source>
        <translation>%1 将处理它持有的最早一次投递并确认</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 will process delivery tag %2 and acknowledge it</source>
        <translation>%1 将处理投递标签为 %2 的消息并确认</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 will nack its oldest delivery: back to its queue, redelivered</source>
        <translation>%1 将否定确认它持有的最早一次投递：消息回到队列，标记为重新投递</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 will nack delivery tag %2: back to its queue, redelivered</source>
        <translation>%1 将否定确认投递标签 %2：消息回到队列，标记为重新投递</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 will nack its oldest delivery without requeue: to the dead-letter queue</source>
        <translation>%1 将否定确认它持有的最早一次投递且不重新入队：消息进入死信队列</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 will nack delivery tag %2 without requeue: to the dead-letter queue</source>
        <translation>%1 将否定确认投递标签 %2 且不重新入队：消息进入死信队列</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>mode amqp: messages go through the broker, which redelivers what is not acknowledged</source>
        <translation>amqp 模式：消息经由消息代理传递，代理会重新投递未被确认的消息</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>mode brokerless pub-sub: prod sends every message to every subscriber, at most once</source>
        <translation>无代理发布/订阅模式：prod 把每条消息发给每个订阅者，至多一次</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>mode brokerless push: prod sends each message to one subscriber in turn, at most once</source>
        <translation>无代理推送模式：prod 把每条消息轮流发给其中一个订阅者，至多一次</translation>
    </message>
    <message>
        <location filename="../core/console/command.cpp" line="+685"/>
        <source>list the commands, or only those starting with TOPIC</source>
        <translation>列出所有命令，或只列出以 TOPIC 开头的命令</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>add a server node and put it on the ring</source>
        <translation>添加一个服务器节点并把它放上哈希环</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>crash a node: its volatile state and timers are lost</source>
        <translation>让节点崩溃：它的易失状态和定时器都会丢失</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>restart a crashed node; its durable state survives</source>
        <translation>重启崩溃的节点；它的持久状态会保留下来</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>freeze a node for MS milliseconds, like a long GC pause</source>
        <translation>冻结节点 MS 毫秒，就像一次漫长的 GC 停顿</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>take a node off the ring and out of the cluster</source>
        <translation>把节点移出哈希环和集群</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>split the network into groups that cannot reach each other</source>
        <translation>把网络分成彼此不通的几组</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>drop every message from A to B (one way only)</source>
        <translation>丢弃从 A 发往 B 的所有消息（仅单向）</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>remove every partition and cut</source>
        <translation>撤销所有分区和断链</translation>
    </message>
    <message>
        <location filename="../core/labs/kv/kv_commands.cpp" line="+62"/>
        <source>write VALUE (the rest of the line) under KEY</source>
        <translation>把 VALUE（本行余下的全部内容）写到 KEY 下</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>read the value under KEY</source>
        <translation>读取 KEY 下的值</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>give every server N virtual nodes (1 to 4096)</source>
        <translation>让每台服务器拥有 N 个虚拟节点（1 到 4096）</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>choose the ring&apos;s hash function</source>
        <translation>选择哈希环的哈希函数</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>keep every key on N servers (1 to 7)</source>
        <translation>每个键保存在 N 台服务器上（1 到 7）</translation>
    </message>
    <message>
        <location filename="../core/console/command.cpp" line="+7"/>
        <source>process the next N events (default 1), then stop</source>
        <translation>处理接下来的 N 个事件（默认 1 个），然后停下</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>go back N events (default 1): the run is replayed from its start, deterministically</source>
        <translation>后退 N 个事件（默认 1 个）：运行会从头开始确定性地重放</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>go to simulated time MS, back or forwards; acting there forks a new future</source>
        <translation>跳到模拟时间 MS，向前向后均可；在那里执行操作会分叉出一个新的未来</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>run for MS simulated milliseconds, or until paused</source>
        <translation>运行 MS 模拟毫秒，或一直运行到暂停</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>pause the simulation</source>
        <translation>暂停模拟</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>resume the simulation</source>
        <translation>继续模拟</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>run at X times real time (0.1 to 1000; 10 and 10x both work)</source>
        <translation>以真实时间的 X 倍速度运行（0.1 到 1000；写 10 或 10x 均可）</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>set the random seed (0 to 2^63-1)</source>
        <translation>设置随机种子（0 到 2^63-1）</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>print the time, seed, nodes and network faults</source>
        <translation>显示时间、种子、节点和网络故障</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>delay every message by MIN to MAX milliseconds (at most 60000)</source>
        <translation>让每条消息延迟 MIN 到 MAX 毫秒（最多 60000）</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>lose each message with probability P (0 to 1)</source>
        <translation>以概率 P 丢失每条消息（0 到 1）</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>deliver each message twice with probability P (0 to 1)</source>
        <translation>以概率 P 把每条消息投递两次（0 到 1）</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>let each message overtake earlier ones with probability P (0 to 1)</source>
        <translation>以概率 P 让每条消息赶超先发出的消息（0 到 1）</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>export the trace as JSON lines (to FILE when given)</source>
        <translation>把跟踪导出为 JSON 行（给出 FILE 时写入该文件）</translation>
    </message>
    <message>
        <location filename="../core/labs/lock/lock_commands.cpp" line="+119"/>
        <source>CLIENT takes the lock, reads the storage, works HOLD ms, writes and releases</source>
        <translation>CLIENT 获取锁，读取存储，工作 HOLD 毫秒，写入后释放锁</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>CLIENT gives the lock back now (or stops waiting for it), without writing</source>
        <translation>CLIENT 立即归还锁（或不再等待它），不做写入</translation>
    </message>
    <message>
        <location filename="../core/console/command.cpp" line="+10"/>
        <source>stop a client for MS milliseconds (a GC pause): it does not notice</source>
        <translation>让客户端停顿 MS 毫秒（GC 停顿）：它自己察觉不到</translation>
    </message>
    <message>
        <location filename="../core/labs/lock/lock_commands.cpp" line="+10"/>
        <source>delay every message to and from a client by MS milliseconds (0: back to normal)</source>
        <translation>让客户端收发的每条消息延迟 MS 毫秒（0：恢复正常）</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>step a lock server&apos;s clock forwards or backwards</source>
        <translation>把锁服务器的时钟向前或向后拨</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>make a lock server&apos;s clock run fast (PPM &gt; 0) or slow (PPM &lt; 0)</source>
        <translation>让锁服务器的时钟走快（PPM &gt; 0）或走慢（PPM &lt; 0）</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>let the storage check fencing tokens, or not</source>
        <translation>让存储检查防护令牌，或者不检查</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>ZooKeeper lock waiters watch the next-lower node, or the parent (the herd)</source>
        <translation>ZooKeeper 锁的等待者监视前一个节点，或监视父节点（羊群效应）</translation>
    </message>
    <message>
        <location filename="../core/labs/txn/txn_commands.cpp" line="+105"/>
        <source>start transaction t1, t2, ... at tx-co over tx-p1,tx-p2,...; the --vote-no ones vote no</source>
        <translation>由 tx-co 在 tx-p1,tx-p2,... 上发起事务 t1、t2……；--vote-no 列出的参与者投反对票</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>start a three-phase commit at tx-co3 over tx-q1,tx-q2,...; the --vote-no ones vote no</source>
        <translation>由 tx-co3 在 tx-q1,tx-q2,... 上发起三阶段提交；--vote-no 列出的参与者投反对票</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>tx-orch runs N steps over tx-s1, tx-s2, ...; step K is refused or never answered</source>
        <translation>tx-orch 在 tx-s1、tx-s2……上执行 N 个步骤；第 K 步被拒绝或永远得不到应答</translation>
    </message>
    <message>
        <location filename="../core/console/command.cpp" line="+8"/>
        <source>crash NODE now, or right after its N-th such event from now: recv:tpc_vote*3, state:WAIT</source>
        <translation>立即让 NODE 崩溃，或在它从现在起第 N 次发生这种事件后立刻崩溃：recv:tpc_vote*3、state:WAIT</translation>
    </message>
    <message>
        <location filename="../core/labs/mq/mq_commands.cpp" line="+196"/>
        <source>declare a queue on the broker; --durable: it and its persistent messages survive a restart</source>
        <translation>在代理上声明一个队列；--durable：队列及其持久消息在重启后仍会保留</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>copy every message published to EXCHANGE into QUEUE (fanout)</source>
        <translation>把发布到 EXCHANGE 的每条消息复制到 QUEUE（扇出）</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>prod publishes N messages m1, m2, ... to QUEUE (or exchange), one every MS</source>
        <translation>prod 向 QUEUE（或交换机）发布 N 条消息 m1、m2……，每 MS 毫秒一条</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>CONSUMER takes messages from QUEUE, at most P unacknowledged; --idempotent: effects deduplicated by message id</source>
        <translation>CONSUMER 从 QUEUE 取消息，未确认的最多 P 条；--idempotent：按消息 ID 对效果去重</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>a --manual consumer processes and acknowledges a delivery it holds</source>
        <translation>--manual 消费者处理并确认它持有的一次投递</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>a --manual consumer rejects a delivery: back to the queue, or to the dead-letter queue</source>
        <translation>--manual 消费者拒绝一次投递：消息回到队列，或进入死信队列</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>switch producers and consumers between the broker and brokerless push / pub-sub (no acknowledgements)</source>
        <translation>让生产者和消费者在代理模式与无代理的推送 / 发布-订阅模式之间切换（无确认）</translation>
    </message>
    <message>
        <location filename="../core/console/command.cpp" line="-878"/>
        <source>Node ids are 1 to 32 characters: letters, digits, &apos;_&apos; and &apos;-&apos;.</source>
        <translation>节点 ID 为 1 到 32 个字符：字母、数字、“_”和“-”。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Node ids are 1 to 32 characters: letters, digits, &apos;_&apos; and &apos;-&apos;. Separate the ids in a group with commas.</source>
        <translation>节点 ID 为 1 到 32 个字符：字母、数字、“_”和“-”。同一组内的 ID 用逗号分隔。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Node ids are 1 to 32 characters: letters, digits, &apos;_&apos; and &apos;-&apos;. Write &apos;A -&gt; B&apos;.</source>
        <translation>节点 ID 为 1 到 32 个字符：字母、数字、“_”和“-”。请写成 A -&gt; B。</translation>
    </message>
    <message>
        <location filename="../core/console/command_spec.h" line="+72"/>
        <source>node id</source>
        <translation>节点 ID</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>client id</source>
        <translation>客户端 ID</translation>
    </message>
    <message>
        <location filename="../core/labs/mq/mq_commands.cpp" line="-248"/>
        <source>consumer id</source>
        <translation>消费者 ID</translation>
    </message>
    <message>
        <location filename="../core/labs/lock/lock_commands.cpp" line="-168"/>
        <source>resource name</source>
        <translation>资源名</translation>
    </message>
    <message>
        <location filename="../core/labs/mq/mq_commands.cpp" line="+1"/>
        <source>queue name</source>
        <translation>队列名</translation>
    </message>
    <message>
        <location filename="../core/labs/kv/kv_commands.cpp" line="-90"/>
        <source>key</source>
        <translation>键</translation>
    </message>
    <message>
        <location filename="../core/console/command_spec.h" line="+1"/>
        <source>pause length in milliseconds</source>
        <translation>暂停时长（毫秒）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a number of milliseconds</source>
        <translation>毫秒数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a whole number</source>
        <translation>整数</translation>
    </message>
    <message>
        <location filename="../core/console/command.cpp" line="+506"/>
        <location line="+73"/>
        <source>unknown option &apos;%1&apos;</source>
        <translation>未知选项“%1”</translation>
    </message>
    <message>
        <location line="-68"/>
        <source>%1 is given twice</source>
        <translation>%1 出现了两次</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 needs a value</source>
        <translation>%1 需要一个值</translation>
    </message>
    <message>
        <location filename="../core/labs/kv/kv_commands.cpp" line="+3"/>
        <source>a key has at most %1 bytes</source>
        <translation>键最多 %1 个字节</translation>
    </message>
    <message>
        <location filename="../core/console/command.cpp" line="-500"/>
        <source>the membership service</source>
        <translation>成员服务</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the nodes of a lab (%1...)</source>
        <translation>某个实验的节点（%1...）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a client</source>
        <translation>客户端</translation>
    </message>
    <message>
        <location line="+106"/>
        <source>did you mean &apos;%1&apos;? %2</source>
        <translation>你是想输入“%1”吗？%2</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Type &apos;help&apos; for the list.</source>
        <translation>输入 help 查看命令列表。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>usage: %1</source>
        <translation>用法：%1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1 or %2</source>
        <translation>%1 或 %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1, %2</source>
        <translation>%1、%2</translation>
    </message>
    <message>
        <location line="+63"/>
        <source>the line has a control character (%1) at column %2</source>
        <translation>这一行的第 %2 列有一个控制字符（%1）</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+5"/>
        <source>Type the command as plain text.</source>
        <translation>请以纯文本输入命令。</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>the line is not valid UTF-8 (byte %1 at column %2)</source>
        <translation>这一行不是有效的 UTF-8（第 %2 列的字节 %1）</translation>
    </message>
    <message>
        <location line="+272"/>
        <source>%1: missing %2</source>
        <translation>%1：缺少%2</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>usage: %1. To freeze one node, use &apos;node pause ID MS&apos;.</source>
        <translation>用法：%1。要冻结单个节点，请用 node pause ID MS。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1: unexpected extra argument &apos;%2&apos;</source>
        <translation>%1：多余的参数“%2”</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>&apos;%1&apos; is not a valid node id</source>
        <translation>“%1”不是有效的节点 ID</translation>
    </message>
    <message>
        <location line="+11"/>
        <location line="+11"/>
        <source>&apos;%1&apos; is not %2</source>
        <translation>“%1”不是%2</translation>
    </message>
    <message>
        <location line="-9"/>
        <location line="+11"/>
        <source>%1 is out of range (%2 to %3%4)</source>
        <translation>%1 超出范围（%2 到 %3%4）</translation>
    </message>
    <message>
        <location filename="../core/labs/lock/lock_commands.cpp" line="+6"/>
        <source>&apos;%1&apos; is not a valid resource name</source>
        <translation>“%1”不是有效的资源名</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Resource names are 1 to %1 characters: letters, digits, &apos;_&apos;, &apos;-&apos; and &apos;.&apos;.</source>
        <translation>资源名为 1 到 %1 个字符：字母、数字、“_”、“-”和“.”。</translation>
    </message>
    <message>
        <location filename="../core/console/command.cpp" line="+11"/>
        <source>expected %1, got &apos;%2&apos;</source>
        <translation>应为 %1，实际是“%2”</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>a probability (a number from 0 to 1)</source>
        <translation>概率（0 到 1 之间的数）</translation>
    </message>
    <message>
        <location line="-274"/>
        <source>groups</source>
        <translation>分组</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>a partition needs two or more groups separated by &apos;|&apos;</source>
        <translation>网络分区需要两个或更多用“|”分隔的组</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>usage: partition A,B | C,D (every node in at most one group)</source>
        <translation>用法：partition A,B | C,D（每个节点最多属于一个组）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>group %1 is empty</source>
        <translation>第 %1 组是空的</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>group %1 has an empty node id (a stray comma?)</source>
        <translation>第 %1 组有一个空的节点 ID（多了一个逗号？）</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>node &apos;%1&apos; appears twice in group %2</source>
        <translation>节点“%1”在第 %2 组中出现了两次</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>node &apos;%1&apos; appears in more than one group</source>
        <translation>节点“%1”出现在多个组中</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>node ids</source>
        <translation>节点 ID</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>expected &apos;A -&gt; B&apos; (messages from A to B are dropped)</source>
        <translation>应写成 A -&gt; B（从 A 发往 B 的消息会被丢弃）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>missing the sending node before &apos;-&gt;&apos;</source>
        <translation>“-&gt;”前缺少发送节点</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>missing the receiving node after &apos;-&gt;&apos;</source>
        <translation>“-&gt;”后缺少接收节点</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>a node cannot be cut from itself</source>
        <translation>节点不能与自身断开</translation>
    </message>
    <message>
        <location filename="../core/labs/txn/txn_commands.cpp" line="-109"/>
        <source>%1 has an empty id (a stray comma?)</source>
        <translation>%1：有一个空的 ID（多了一个逗号？）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 names &apos;%2&apos; twice</source>
        <translation>%1：“%2”出现了两次</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 has more than %2 ids</source>
        <translation>%1：ID 超过了 %2 个</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>participants (a comma list like tx-p1,tx-p2,tx-p3)</source>
        <translation>参与者（用逗号分隔的列表，如 tx-p1,tx-p2,tx-p3）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the participant list</source>
        <translation>参与者列表</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>--vote-no needs the participants that vote no</source>
        <translation>--vote-no 需要给出投反对票的参与者</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&apos;%1&apos; votes no but is not one of the participants</source>
        <translation>“%1”投反对票，但它不是参与者之一</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>saga name</source>
        <translation>Saga 名称</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&apos;%1&apos; is not a valid saga name</source>
        <translation>“%1”不是有效的 Saga 名称</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Saga names are 1 to %1 characters: letters, digits, &apos;_&apos;, &apos;-&apos; and &apos;.&apos;.</source>
        <translation>Saga 名称为 1 到 %1 个字符：字母、数字、“_”、“-”和“.”。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>a number of steps</source>
        <translation>步骤数</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+2"/>
        <source>a step number</source>
        <translation>步骤编号</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>--steps N is missing: how many steps the saga has</source>
        <translation>缺少 --steps N：Saga 有多少个步骤</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>--fail-at %1 is past the last step (%2)</source>
        <translation>--fail-at %1 超出了最后一步（%2）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>--timeout-at %1 is past the last step (%2)</source>
        <translation>--timeout-at %1 超出了最后一步（%2）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>step %1 cannot both fail and time out</source>
        <translation>第 %1 步不能既失败又超时</translation>
    </message>
    <message>
        <location filename="../core/console/command.cpp" line="+78"/>
        <source>--after needs an event pattern, e.g. recv:tpc_vote*3</source>
        <translation>--after 需要一个事件模式，例如 recv:tpc_vote*3</translation>
    </message>
    <message>
        <location line="+148"/>
        <source>unexpected extra argument &apos;%1&apos;</source>
        <translation>多余的参数“%1”</translation>
    </message>
    <message>
        <location filename="../core/labs/mq/mq_commands.cpp" line="+16"/>
        <source>&apos;%1&apos; is not a valid queue name</source>
        <translation>“%1”不是有效的队列名</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&apos;%1&apos; is not a valid exchange name</source>
        <translation>“%1”不是有效的交换机名</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Queue and exchange names are 1 to %1 characters: letters, digits, &apos;.&apos;, &apos;_&apos;, &apos;-&apos; and &apos;:&apos;.</source>
        <translation>队列名和交换机名为 1 到 %1 个字符：字母、数字、“.”、“_”、“-”和“:”。</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>a delivery tag (a whole number; 0: the oldest)</source>
        <translation>投递标签（整数；0 表示最早的一次投递）</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>exchange name</source>
        <translation>交换机名</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>the exchange and the queue are both &apos;%1&apos;; bind a different queue</source>
        <translation>交换机和队列都是“%1”；请绑定另一个队列</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>a number of messages</source>
        <translation>消息条数</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>a number of messages (0: unlimited)</source>
        <translation>消息条数（0 表示不限）</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>mode (amqp or brokerless)</source>
        <translation>模式（amqp 或 brokerless）</translation>
    </message>
    <message>
        <location filename="../core/console/command.cpp" line="-322"/>
        <source>help: no command matches &apos;%1&apos;</source>
        <translation>help：没有与“%1”匹配的命令</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>&apos;%1&apos; is reserved for %2</source>
        <translation>“%1”保留给%2使用</translation>
    </message>
    <message>
        <location line="+3"/>
        <location filename="../core/labs/kv/kv_lab.cpp" line="+1"/>
        <source>server ids look like n7; leave the id out to get the next free one</source>
        <translation>服务器 ID 形如 n7；不指定 ID 则自动使用下一个空闲 ID</translation>
    </message>
    <message>
        <location filename="../core/labs/kv/kv_commands.cpp" line="+5"/>
        <source>value</source>
        <translation>值</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>a value has at most %1 bytes</source>
        <translation>值最多 %1 个字节</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>number of virtual nodes</source>
        <translation>虚拟节点数</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>hash name (xxh3 or ketama)</source>
        <translation>哈希函数名（xxh3 或 ketama）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>number of replicas</source>
        <translation>副本数</translation>
    </message>
    <message>
        <location filename="../core/console/command.cpp" line="+95"/>
        <source>simulated time in milliseconds</source>
        <translation>模拟时间（毫秒）</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>speed factor</source>
        <translation>速度倍数</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>a speed factor (e.g. 10, 10x or 0.5)</source>
        <translation>速度倍数（例如 10、10x 或 0.5）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>seed</source>
        <translation>种子</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>minimum latency in milliseconds</source>
        <translation>最小延迟（毫秒）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>maximum latency in milliseconds</source>
        <translation>最大延迟（毫秒）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>the minimum (%1 ms) is above the maximum (%2 ms)</source>
        <translation>最小值（%1 毫秒）大于最大值（%2 毫秒）</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>probability</source>
        <translation>概率</translation>
    </message>
    <message>
        <location filename="../core/labs/lock/lock_commands.cpp" line="+44"/>
        <source>delay in milliseconds</source>
        <translation>延迟（毫秒）</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>jump in milliseconds, with its sign (+500 or -500)</source>
        <translation>跳变的毫秒数，带正负号（+500 或 -500）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>write the jump with its sign: +%1 (forwards) or -%1 (backwards)</source>
        <translation>请给跳变加上正负号：+%1（向前）或 -%1（向后）</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>drift in parts per million</source>
        <translation>漂移量（百万分率）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>a whole number of parts per million</source>
        <translation>以百万分率计的整数</translation>
    </message>
    <message>
        <location filename="../core/labs/counter/counter_commands.cpp" line="+12"/>
        <source>switch (fencing, dedup, r1, ack-early, skip-lock, 3pc)</source>
        <translation>开关（fencing、dedup、r1、ack-early、skip-lock、3pc）</translation>
    </message>
    <message>
        <location line="+2"/>
        <location filename="../core/labs/lock/lock_commands.cpp" line="+10"/>
        <source>on or off</source>
        <translation>on 或 off</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>take one of the counter&apos;s safety measures away (on) or give it back (off)</source>
        <translation>拿掉计数器的一项安全措施（on），或把它恢复（off）</translation>
    </message>
    <message>
        <location filename="../core/labs/lock/lock_commands.cpp" line="+5"/>
        <source>predecessor or parent</source>
        <translation>predecessor 或 parent</translation>
    </message>
    <message>
        <location filename="../core/console/command.cpp" line="+551"/>
        <source>%1: missing subcommand</source>
        <translation>%1：缺少子命令</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1: unknown subcommand &apos;%2&apos;</source>
        <translation>%1：未知子命令“%2”</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Type &apos;help %1&apos; for the list.</source>
        <translation>输入 help %1 查看列表。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>%1 Commands are lower-case.</source>
        <translation>%1命令一律小写。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>unknown command &apos;%1&apos;</source>
        <translation>未知命令“%1”</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>the line is %1 bytes long; the limit is %2 bytes</source>
        <translation>这一行有 %1 个字节，上限是 %2 个字节</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Split it into shorter commands.</source>
        <translation>请拆成几条较短的命令。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>empty command</source>
        <translation>空命令</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Type &apos;help&apos; for the list of commands.</source>
        <translation>输入 help 查看命令列表。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>could not parse the command: %1</source>
        <translation>无法解析命令：%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>could not parse the command</source>
        <translation>无法解析命令</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>No command matches &apos;%1&apos;. Type &apos;help&apos; for the list.</source>
        <translation>没有与“%1”匹配的命令。输入 help 查看命令列表。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Write KIND:NAME[*N] with KIND recv, send or state: recv:tpc_vote*3, send:tpc_decision, state:WAIT.</source>
        <translation>请写成 KIND:NAME[*N]，KIND 为 recv、send 或 state：recv:tpc_vote*3、send:tpc_decision、state:WAIT。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&apos;%1&apos; is not an event pattern (no &apos;:&apos;)</source>
        <translation>“%1”不是事件模式（没有“:”）</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>unknown event kind &apos;%1&apos; (expected recv, send or state)</source>
        <translation>未知事件类型“%1”（应为 recv、send 或 state）</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>the count after &apos;*&apos; must be a whole number from 1 to %1, got &apos;%2&apos;</source>
        <translation>“*”后的次数必须是 1 到 %1 之间的整数，实际是“%2”</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&apos;%1&apos; is not a message type or state name (1 to %2 letters, digits, &apos;_&apos;, &apos;-&apos; or &apos;.&apos;)</source>
        <translation>“%1”不是消息类型或状态名（应为 1 到 %2 个字母、数字、“_”、“-”或“.”）</translation>
    </message>
    <message>
        <location filename="../core/session/net_session.cpp" line="-101"/>
        <location filename="../core/session/session.cpp" line="-224"/>
        <source>killed %1</source>
        <translation>已终止 %1</translation>
    </message>
    <message>
        <location filename="../core/session/session.cpp" line="+17"/>
        <source>type &apos;status&apos; to list the nodes; the transaction lab&apos;s nodes appear with its first txn or saga command</source>
        <translation>输入 &apos;status&apos; 列出节点；事务实验的节点在第一条 txn 或 saga 命令时出现</translation>
    </message>
    <message>
        <location line="-8"/>
        <source>restarted %1</source>
        <translation>已重启 %1</translation>
    </message>
    <message>
        <location line="-235"/>
        <location line="+5"/>
        <source>up</source>
        <translation>运行中</translation>
    </message>
    <message>
        <location line="-4"/>
        <source>crashed</source>
        <translation>已崩溃</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>removed</source>
        <translation>已移除</translation>
    </message>
    <message>
        <location line="+455"/>
        <source>&apos;%1&apos; would be a node of the %2 lab, which this run does not have</source>
        <translation>“%1”会是 %2 实验的节点，而本次运行没有这个实验</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>open a scenario with that lab, e.g. --scenario counter</source>
        <translation>请打开包含该实验的场景，例如 --scenario counter</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>paused %1 for %2 (stop-the-world)</source>
        <translation>已暂停 %1，时长 %2（全局停顿）</translation>
    </message>
    <message>
        <location filename="../core/session/net_session.cpp" line="+67"/>
        <location filename="../core/session/session.cpp" line="+4"/>
        <source>partitioned: %1</source>
        <translation>已分区：%1</translation>
    </message>
    <message>
        <location filename="../core/session/session.cpp" line="+4"/>
        <source>cut %1 -&gt; %2 (one way)</source>
        <translation>已单向断开 %1 -&gt; %2</translation>
    </message>
    <message>
        <location filename="../core/session/net_session.cpp" line="+4"/>
        <location filename="../core/session/session.cpp" line="+4"/>
        <source>network healed</source>
        <translation>网络已恢复</translation>
    </message>
    <message>
        <location filename="../core/session/session.cpp" line="+8"/>
        <source>&apos;%1&apos; is not a client</source>
        <translation>“%1”不是客户端</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>to freeze a server, use &apos;node pause %1 MS&apos;</source>
        <translation>要冻结服务器，请用 &apos;node pause %1 MS&apos;</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>paused %1 for %2 (stop-the-world): it will not notice the time it lost</source>
        <translation>已暂停 %1，时长 %2（全局停顿）：它不会察觉失去的这段时间</translation>
    </message>
    <message>
        <location filename="../core/labs/kv/kv_lab.cpp" line="+22"/>
        <source>this scenario has no clients</source>
        <translation>此场景没有客户端</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>add &quot;clients&quot; to the workload</source>
        <translation>请在 workload 中添加 &quot;clients&quot;</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>%1 will put %2 (owner: %3)</source>
        <translation>%1 将写入 %2（所有者：%3）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 will get %2 (owner: %3)</source>
        <translation>%1 将读取 %2（所有者：%3）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>every client is down</source>
        <translation>所有客户端都已宕机</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>restart one with &apos;node restart c1&apos;</source>
        <translation>用 node restart c1 重启一个客户端</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>unknown hash &apos;%1&apos;</source>
        <translation>未知哈希函数“%1”</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>use xxh3 or ketama</source>
        <translation>请使用 xxh3 或 ketama</translation>
    </message>
    <message>
        <location line="+60"/>
        <source>, ring epoch %1</source>
        <translation>，环版本号 %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>  (ring)</source>
        <translation>  （环上）</translation>
    </message>
    <message>
        <location line="-132"/>
        <source>replicas per key: %1</source>
        <translation>每个键的副本数：%1</translation>
    </message>
    <message>
        <location filename="../core/session/session.cpp" line="+6"/>
        <source>back %1 event(s), to event %2 at %3</source>
        <translation>后退 %1 个事件，回到第 %2 个事件，时间 %3</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>at %1, event %2</source>
        <translation>时间 %1，第 %2 个事件</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>stepped %1 event(s); now %2</source>
        <translation>已单步执行 %1 个事件；当前时间 %2</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+14"/>
        <source>running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <location line="-10"/>
        <source>ran %1 events; now %2 (stopped at the limit of %3 events)</source>
        <translation>已执行 %1 个事件；当前时间 %2（达到 %3 个事件的上限后停止）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>ran %1 events; now %2</source>
        <translation>已执行 %1 个事件；当前时间 %2</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>paused at %1</source>
        <translation>已暂停于 %1</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>speed x%1</source>
        <translation>速度 ×%1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>restarted the scenario as loaded, with seed %1</source>
        <translation>已按载入时的场景、以随机种子 %1 重新开始运行</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>latency %1 to %2</source>
        <translation>延迟 %1 至 %2</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>drop rate %1</source>
        <translation>丢包率 %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>duplicate rate %1</source>
        <translation>重复率 %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>reorder rate %1</source>
        <translation>乱序率 %1</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1 trace events; give a file name to export them</source>
        <translation>共 %1 个跟踪事件；提供文件名即可导出</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>cannot write &apos;%1&apos;</source>
        <translation>无法写入“%1”</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>check the folder exists and is writable</source>
        <translation>请确认文件夹存在且可写</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>writing &apos;%1&apos; failed</source>
        <translation>写入“%1”失败</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>wrote %1 events to %2</source>
        <translation>已将 %1 个事件写入 %2</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>seed %1, t = %2, %3 events</source>
        <translation>种子 %1，t = %2，%3 个事件</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>messages: %1 sent, %2 delivered, %3 dropped, %4 duplicated</source>
        <translation>消息：已发送 %1，已投递 %2，已丢弃 %3，已重复 %4</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>The run outgrew the trace&apos;s limits (%1 events or %2 MiB of messages), so the history the checks read stops early; their verdicts cover only the start of the run. Run for a shorter time, or with fewer nodes, to check all of it.</source>
        <translation>运行超出了轨迹的上限（%1 个事件或 %2 MiB 消息），检查读取的历史提前中断，结论只涵盖运行的开头。请缩短运行时间或减少节点，以便检查全部历史。</translation>
    </message>
    <message>
        <location filename="../core/labs/lock/lock_lab.cpp" line="-151"/>
        <source>cannot start the %1 lock: node &apos;%2&apos; already exists</source>
        <translation>无法启动 %1 锁：节点“%2”已存在</translation>
    </message>
    <message>
        <location line="+66"/>
        <source>the storage &apos;%1&apos; is down</source>
        <translation>存储“%1”已宕机</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>fencing on: the storage refuses reads and writes with a fencing token older than the highest it has seen</source>
        <translation>防护令牌校验已开启：存储拒绝令牌比它见过的最高令牌更旧的读和写</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>fencing off: the storage accepts every write, whatever its token</source>
        <translation>防护令牌校验已关闭：无论令牌如何，存储接受每一次写入</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>ZooKeeper lock waiters now watch the parent: every change wakes all of them (the herd effect)</source>
        <translation>ZooKeeper 锁的等待者现在监视父节点：每次变化都会唤醒所有等待者（羊群效应）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ZooKeeper lock waiters now watch only the next-lower node: a release wakes one waiter</source>
        <translation>ZooKeeper 锁的等待者现在只监视前一个节点：一次释放只唤醒一个等待者</translation>
    </message>
    <message>
        <location filename="../core/labs/counter/counter_lab.cpp" line="-36"/>
        <source>&apos;%1&apos; is not a switch</source>
        <translation>“%1”不是一个开关</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>broken: %1 (the checks will say what it costs)</source>
        <translation>已破坏：%1（检查会指出它的代价）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>repaired: %1</source>
        <translation>已修复：%1</translation>
    </message>
    <message>
        <location line="+10"/>
        <location filename="../core/labs/kv/kv_lab.cpp" line="+2"/>
        <location filename="../core/labs/lock/lock_lab.cpp" line="+2"/>
        <location filename="../core/labs/mq/mq_lab.cpp" line="-207"/>
        <location filename="../core/labs/txn/txn_lab.cpp" line="+57"/>
        <location filename="../core/session/session.cpp" line="-40"/>
        <source>command not supported here: %1</source>
        <translation>此处不支持该命令：%1</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>the counter adds replicas only, and their ids are cn-n and a number</source>
        <translation>计数器只能添加副本，其 id 为 cn-n 加一个数字</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>for example: node add cn-n6 (or leave the id out)</source>
        <translation>例如：node add cn-n6（或省略 id）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&apos;%1&apos; was removed, and ids are not used twice</source>
        <translation>“%1”已被移除，id 不会重复使用</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>the counter keeps at most %1 replicas with R = %2: any two sets of R of them must share one</source>
        <translation>R = %2 时计数器最多保留 %1 个副本：其中任意两组 R 个副本必须有一个共同成员</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>remove a replica first (node remove cn-nK)</source>
        <translation>请先移除一个副本（node remove cn-nK）</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>key %1 has had %2 of the 2 commits it needs since the last removal: its state may be on too few replicas for a new one</source>
        <translation>自上次移除以来，键 %1 只有 %2 次提交（需要 2 次）：它的状态所在的副本可能太少，还不能加入新副本</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>let the clients run a moment, then add again</source>
        <translation>让客户端再运行一会儿，然后再添加</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1 joins the counter&apos;s ring (%2 replicas): it gets a key&apos;s state with the key&apos;s next commit</source>
        <translation>%1 加入计数器的环（%2 个副本）：它会在某个键的下一次提交时得到该键的状态</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&apos;%1&apos; is not a replica on the counter&apos;s ring</source>
        <translation>“%1”不是计数器环上的副本</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>its replicas are cn-n1, cn-n2, ...; &apos;status&apos; lists them</source>
        <translation>它的副本是 cn-n1、cn-n2……；“status”会列出它们</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the counter needs at least R = %1 replicas</source>
        <translation>计数器至少需要 R = %1 个副本</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>add one first (node add)</source>
        <translation>请先添加一个（node add）</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>%1 leaves the counter&apos;s ring (%2 replicas): each of its keys is still on another replica</source>
        <translation>%1 离开计数器的环（%2 个副本）：它的每个键仍在另一个副本上</translation>
    </message>
    <message>
        <location filename="../core/labs/lock/lock_lab.cpp" line="+20"/>
        <location line="+28"/>
        <source>&apos;%1&apos; is not a lock client</source>
        <translation>“%1”不是锁客户端</translation>
    </message>
    <message>
        <location line="-25"/>
        <source>&apos;%1&apos; cannot be a lock client</source>
        <translation>“%1”不能作为锁客户端</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the lab already has %1 lock clients</source>
        <translation>实验中已有 %1 个锁客户端</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>use one of the existing clients</source>
        <translation>请使用已有的客户端</translation>
    </message>
    <message>
        <location line="-17"/>
        <source>%1 is a %2 client and cannot use the %3 lock</source>
        <translation>%1 是 %2 客户端，不能使用 %3 锁</translation>
    </message>
    <message>
        <location line="-94"/>
        <source>the lock lab needs the ids lk-lease, lk-s1..lk-s9, lk-zk and lk-disk for itself</source>
        <translation>锁实验需要自用的节点名 lk-lease、lk-s1..lk-s9、lk-zk 和 lk-disk</translation>
    </message>
    <message>
        <location line="+95"/>
        <source>a new client id (such as lk-c9) starts a %1 client</source>
        <translation>使用新的客户端编号（如 lk-c9）会启动一个 %1 客户端</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>--ttl does not apply to the ZooKeeper lock</source>
        <translation>--ttl 不适用于 ZooKeeper 锁</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>its lock lasts as long as the client&apos;s session; leave --ttl out</source>
        <translation>它的锁与客户端会话同寿；请去掉 --ttl</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 is locked with the %2 lock in this run</source>
        <translation>本次运行中 %1 已由 %2 锁保护</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>one resource, one kind of lock: their fencing tokens do not compare; use another resource name</source>
        <translation>一个资源只能用一种锁：不同锁的防护令牌无法比较；请换一个资源名</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+3"/>
        <source>lock clients are lk-c1, lk-c2, ...; a new id such as lk-c9 creates one</source>
        <translation>锁客户端为 lk-c1、lk-c2……；使用新的编号（如 lk-c9）会创建一个</translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+19"/>
        <location line="+14"/>
        <location filename="../core/session/net_session.cpp" line="-379"/>
        <source>%1 is down</source>
        <translation>%1 已宕机</translation>
    </message>
    <message>
        <location line="-27"/>
        <source>%1 asks for the ZooKeeper lock on %2</source>
        <translation>%1 请求 %2 上的 ZooKeeper 锁</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 asks %2 Redlock servers for %3 (TTL %4 ms)</source>
        <translation>%1 向 %2 台 Redlock 服务器请求 %3（TTL %4 毫秒）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 asks for the lease lock on %2 (TTL %3 ms)</source>
        <translation>%1 请求 %2 上的租约锁（TTL %3 毫秒）</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>%1 gives the lock on %2 back</source>
        <translation>%1 交还 %2 上的锁</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&apos;%1&apos; is not a lease lock server</source>
        <translation>“%1”不是租约锁服务器</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>clock faults apply to the lease lock servers: lk-lease, lk-s1, lk-s2, ...</source>
        <translation>时钟故障只作用于租约锁服务器：lk-lease、lk-s1、lk-s2……</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>%1&apos;s clock jumps %2 ms: its leases end that much sooner (or later)</source>
        <translation>%1 的时钟跳变 %2 毫秒：它的租约相应提前（或推迟）结束</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1&apos;s clock now drifts %2 ppm</source>
        <translation>%1 的时钟现在漂移 %2 ppm</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>%1&apos;s network is back to normal</source>
        <translation>%1 的网络已恢复正常</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>every message to and from %1 now takes %2</source>
        <translation>进出 %1 的每条消息现在耗时 %2</translation>
    </message>
    <message>
        <location line="+298"/>
        <source>%1 and %2 both changed %3 while each believed it held the lock. %1 read it at %4 and its write was accepted at %5, but in between %2 wrote it at %6: one of the two updates was lost. Neither write carried a fencing token, so the storage could not tell the holders apart.</source>
        <translation>%1 和 %2 都以为自己持有锁，并都修改了 %3。%1 在 %4 读取它，其写入在 %5 被接受；但在这之间，%2 在 %6 写入了它：两次更新中有一次丢失了。两次写入都没有携带防护令牌，所以存储无法区分两个持有者。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>%1 and %2 both changed %3 while each believed it held the lock. %1 (fencing token %4) read it at %5 and its write was accepted at %6, but in between %2 (fencing token %7) wrote it at %8: one of the two updates was lost. Equal tokens cannot tell the two holders apart.</source>
        <translation>%1 和 %2 都以为自己持有锁，并都修改了 %3。%1（防护令牌 %4）在 %5 读取它，其写入在 %6 被接受；但在这之间，%2（防护令牌 %7）在 %8 写入了它：两次更新中有一次丢失了。相同的令牌无法区分两个持有者。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 and %2 both changed %3 while each believed it held the lock. %1 (fencing token %4) read it at %5 and its write was accepted at %6, but in between %2 (fencing token %7) wrote it at %8: one of the two updates was lost. The storage did not compare the tokens: fencing was off.</source>
        <translation>%1 和 %2 都以为自己持有锁，并都修改了 %3。%1（防护令牌 %4）在 %5 读取它，其写入在 %6 被接受；但在这之间，%2（防护令牌 %7）在 %8 写入了它：两次更新中有一次丢失了。存储没有比较令牌：防护令牌校验是关闭的。</translation>
    </message>
    <message>
        <location filename="../core/labs/txn/txn_lab.cpp" line="-117"/>
        <source>two-phase commit</source>
        <translation>两阶段提交</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>three-phase commit</source>
        <translation>三阶段提交</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>saga</source>
        <translation>Saga</translation>
    </message>
    <message>
        <location line="+57"/>
        <source>%1 is down, so nothing would start</source>
        <translation>%1 已宕机，因此什么也不会开始</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>cannot start the %1 nodes: node &apos;%2&apos; already exists</source>
        <translation>无法启动 %1 节点：节点“%2”已存在</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the transaction lab needs the ids tx-co, tx-p1.., tx-co3, tx-q1.., tx-orch and tx-s1.. for itself</source>
        <translation>事务实验需要自用的节点名 tx-co、tx-p1..、tx-co3、tx-q1..、tx-orch 和 tx-s1..</translation>
    </message>
    <message>
        <location line="+55"/>
        <location line="+12"/>
        <source>&apos;%1&apos; is not a %2 participant</source>
        <translation>“%1”不是 %2 参与者</translation>
    </message>
    <message>
        <location line="-9"/>
        <source>three-phase commit runs over tx-q1 to tx-q%1; tx-p1.. are the two-phase commit participants</source>
        <translation>三阶段提交在 tx-q1 到 tx-q%1 上运行；tx-p1.. 是两阶段提交的参与者</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>two-phase commit runs over tx-p1 to tx-p%1; tx-q1.. are the three-phase commit participants</source>
        <translation>两阶段提交在 tx-p1 到 tx-p%1 上运行；tx-q1.. 是三阶段提交的参与者</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>this lab&apos;s participants are %1 (&quot;participants&quot; in the scenario&apos;s txn section sets how many)</source>
        <translation>本实验的参与者是 %1（场景 txn 部分的 &quot;participants&quot; 决定数量）</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>a transaction needs at least one participant</source>
        <translation>一个事务至少需要一个参与者</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>%1: %2 started at %3 over %4</source>
        <translation>%1：%2 于 %3 在 %4 上开始</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1: %2 started at %3 over %4; %5 will vote no</source>
        <translation>%1：%2 于 %3 在 %4 上开始；%5 将投反对票</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>saga &apos;%1&apos; has already run in this lab</source>
        <translation>Saga“%1”已在本实验中运行过</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>give the new saga another name</source>
        <translation>请给新的 Saga 另起一个名字</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>saga %1: %2 steps over %3 started at %4; step %5 will be refused</source>
        <translation>Saga %1：%2 个步骤在 %3 上于 %4 开始；第 %5 步将被拒绝</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>saga %1: %2 steps over %3 started at %4; step %5 will never be answered</source>
        <translation>Saga %1：%2 个步骤在 %3 上于 %4 开始；第 %5 步将永远得不到应答</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>saga %1: %2 steps over %3 started at %4</source>
        <translation>Saga %1：%2 个步骤在 %3 上于 %4 开始</translation>
    </message>
    <message>
        <location filename="../core/check/lock_checks.cpp" line="+357"/>
        <source>The critical sections of the accepted writes (%1 in all) did not overlap in the storage&apos;s order: it never served another client between a client&apos;s read and its write under the lock, so no update was lost.</source>
        <translation>已接受写入（共 %1 次）的临界区在存储的顺序中没有重叠：存储从未在某客户端持锁读与写之间为其他客户端服务，因此没有丢失更新。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The critical sections of the accepted writes (%1 in all) did not overlap: no two clients that changed the storage ever held the lock at the same time.</source>
        <translation>已接受写入（共 %1 次）的临界区没有重叠：修改存储的客户端从未有两个同时持有锁。</translation>
    </message>
    <message>
        <location line="+80"/>
        <source>The accepted writes with a fencing token (%1 in all) carry non-decreasing tokens in the order the storage accepted them.</source>
        <translation>带防护令牌的已接受写入（共 %1 次）按存储接受的顺序，令牌从不减小。</translation>
    </message>
    <message>
        <location filename="../core/check/txn_checks.cpp" line="+96"/>
        <source>All nodes agreed on every transaction (decisions: %1, transactions: %2); none contradicted another.</source>
        <translation>所有节点对每个事务的决定一致（决定 %1 个，事务 %2 个），没有互相矛盾的决定。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Split transactions (committed at some nodes, aborted at others): %1. Transaction %2: %3 decided %4 at %5, but %6 decided %7 at %8. Atomic commitment means all or nothing, yet some nodes applied the transaction and others threw it away. Three-phase commit does this when a partition separates participants that reached PRECOMMIT from ones that did not: each side&apos;s termination protocol decides on its own.</source>
        <translation>分裂的事务（部分节点提交、部分节点中止）：%1 个。事务 %2：%3 在 %5 决定 %4，而 %6 在 %8 决定 %7。原子提交要求全有或全无，这里却有节点应用了事务、有节点把它丢弃。当网络分区把已进入 PRECOMMIT 的参与者与尚未进入的参与者隔开时，三阶段提交就会这样：两边的终止协议各自做出决定。</translation>
    </message>
    <message>
        <location line="+52"/>
        <source>Every committed transaction (%1 in all) had only yes votes: nothing was committed against a participant&apos;s will.</source>
        <translation>每个已提交的事务（共 %1 个）都只收到赞成票：没有违背任何参与者意愿的提交。</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>No node changed its mind: every decision (%1 in all) stayed as first logged, through crashes and recoveries.</source>
        <translation>没有节点改变主意：每个决定（共 %1 个）在崩溃与恢复之后都保持最初记录的样子。</translation>
    </message>
    <message>
        <location filename="../core/check/zk_lock_checks.cpp" line="+278"/>
        <source>No ZooKeeper-lock grants in the history, so there is nothing to check: the check passes vacuously.</source>
        <translation>历史中没有 ZooKeeper 锁的授予，无可检查：检查空洞地成立。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The ZooKeeper-lock grants (%1 in all) followed the queue: every grant made while its node was first in line carried a higher fencing token than the one before, and none passed over an older node that was still waiting.</source>
        <translation>ZooKeeper 锁的授予（共 %1 次）遵循队列顺序：节点排在队首时得到的每次授予，其防护令牌都比前一次高，也没有越过仍在等待的更早节点。</translation>
    </message>
    <message>
        <location line="+59"/>
        <source>No lock holder was released in this run, so no wakeups can be attributed: the check passes vacuously.</source>
        <translation>本次运行中没有锁持有者释放锁，无法归属任何唤醒：检查空洞地成立。</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>No release woke more than one waiter (releases: %1): each woke only the next in line, as the predecessor watch intends.</source>
        <translation>没有一次释放唤醒超过一个等待者（释放 %1 次）：每次只唤醒队列中的下一个，正如监视前驱节点的设计所期望。</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>%1 of %2 releases woke several waiters for a lock only one of them can take (the herd effect); one woke as many as %3. The worst: at %4 %5&apos;s hold on %6 (token %7) ended and woke %8. Each woken waiter lists the children again and all but one go back to sleep; watching only the next-lower node wakes exactly the next in line.</source>
        <translation>%2 次释放中有 %1 次唤醒了多个等待者，而锁只能给其中一个（羊群效应）；最多的一次唤醒了 %3 个。最严重的一次：%4 时 %5 对 %6 的持有（令牌 %7）结束，唤醒了 %8。每个被唤醒的等待者都要重新列出子节点，除一个外全都再次睡去；只监视编号紧邻的前一个节点，就只会唤醒队列中的下一个。</translation>
    </message>
    <message>
        <location filename="../core/check/kv_checks.cpp" line="+131"/>
        <source>All %1 keys have identical versions on their %2 replicas.</source>
        <translation>全部 %1 个键在各自的 %2 个副本上版本一致。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 of %2 keys have replicas that disagree: which value a reader sees depends on which replica answers, and if the owner fails an acknowledged write can disappear.</source>
        <translation>%2 个键中有 %1 个的副本不一致：读者看到哪个值取决于哪个副本应答；如果所有者故障，已确认的写入可能消失。</translation>
    </message>
    <message>
        <location line="+75"/>
        <source>All %1 acknowledged writes are held by their key&apos;s owner, at the acknowledged version or a newer one.</source>
        <translation>全部 %1 次已确认的写入都由键的所有者保存，版本不低于确认时的版本。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 of %2 acknowledged writes are lost: the client was told the write succeeded, yet the owner now returns an older value or none.</source>
        <translation>%2 次已确认的写入中丢失了 %1 次：客户端被告知写入成功，但所有者现在返回更旧的值或没有值。</translation>
    </message>
    <message>
        <location line="+109"/>
        <source>All %1 acknowledged writes and %2 successful reads respect real-time order.</source>
        <translation>全部 %1 次已确认的写入和 %2 次成功的读取都遵守实时顺序。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Operations that saw an older state than a write acknowledged before they began: %1. The store went back in time.</source>
        <translation>看到比开始前已确认的写入更旧状态的操作：%1 个。存储发生了时间倒退。</translation>
    </message>
    <message>
        <location filename="../core/check/mq_checks.cpp" line="+480"/>
        <source>Confirmed messages: %1 (delivered: %2, still queued: %3, lost in a broker crash that may take them: %4); every delivered message had been published.</source>
        <translation>已确认的消息：%1 条（已投递 %2 条，仍在队列中 %3 条，在允许丢失的代理崩溃中丢失 %4 条）；每条投递的消息都确实发布过。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1 of %2 confirmed messages were never delivered: the queue lost messages their producer had been told were on their way.</source>
        <translation>%2 条已确认的消息中有 %1 条从未投递：队列丢失了生产者已被告知正在投递途中的消息。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Delivered messages that were never published: %1. A queue must not make up messages.</source>
        <translation>投递了但从未发布过的消息：%1 条。队列不能凭空制造消息。</translation>
    </message>
    <message>
        <location line="+121"/>
        <source>Each message&apos;s effect was applied once (messages: %1, repeated applies skipped: %2), and every ack (%3) followed its effect.</source>
        <translation>每条消息的效果只生效一次（消息 %1 条，跳过的重复生效 %2 次），且每次确认（%3 次）都在其效果之后。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Messages whose effect was applied more than once: %1. Only a consumer that deduplicates by message id makes a redelivery change nothing.</source>
        <translation>效果生效不止一次的消息：%1 条。只有按消息 ID 去重的消费者才能让重新投递不产生影响。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Acks sent for a message whose effect had never been applied: %1. That work is lost.</source>
        <translation>为效果从未生效的消息发送的确认：%1 次。这些工作丢失了。</translation>
    </message>
    <message>
        <location filename="../core/check/saga_checks.cpp" line="+212"/>
        <source>All %1 sagas ran in a legal order: %2 done, %3 compensated, %4 still running.</source>
        <translation>全部 %1 个 Saga 都按合法顺序运行：完成 %2 个，已补偿 %3 个，仍在运行 %4 个。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Sagas out of shape: %1 of %2. A saga runs T1..Tn, or undoes exactly the steps that may have run, backwards and once each.</source>
        <translation>形态不合法的 Saga：%2 个中有 %1 个。Saga 要么运行 T1..Tn，要么把可能已运行的步骤逆序、各撤销一次。</translation>
    </message>
    <message>
        <location filename="../core/node/file_store.cpp" line="+101"/>
        <source>a store needs a directory</source>
        <translation>存储需要一个目录</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>cannot use &apos;%1&apos; as a store directory: %2</source>
        <translation>无法将“%1”用作存储目录：%2</translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+10"/>
        <source>cannot open &apos;%1&apos;: %2</source>
        <translation>无法打开“%1”：%2</translation>
    </message>
    <message>
        <location line="-8"/>
        <source>the store in &apos;%1&apos; is in use by another process</source>
        <translation>“%1”中的存储正被另一个进程使用</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>stop the other node, or give this one its own data directory</source>
        <translation>请停止另一个节点，或为此节点指定单独的数据目录</translation>
    </message>
    <message>
        <location line="+10"/>
        <location line="+36"/>
        <source>cannot read &apos;%1&apos;: %2</source>
        <translation>无法读取“%1”：%2</translation>
    </message>
    <message>
        <location line="-26"/>
        <location line="+8"/>
        <source>&apos;%1&apos; is damaged: the record at byte %2 fails its checksum</source>
        <translation>“%1”已损坏：第 %2 字节处的记录未通过校验和检查</translation>
    </message>
    <message>
        <location line="-7"/>
        <location line="+8"/>
        <source>nothing was read from it; move the file aside to start with an empty store</source>
        <translation>未从中读取任何内容；将该文件移走即可从空存储开始</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>cannot repair &apos;%1&apos;: %2</source>
        <translation>无法修复“%1”：%2</translation>
    </message>
    <message>
        <location filename="../core/labs/composed_lab.cpp" line="+44"/>
        <source>the %1 lab does not take &apos;%2&apos;</source>
        <translation>%1 实验不接受“%2”</translation>
    </message>
    <message>
        <location filename="../core/check/linearizability.cpp" line="+499"/>
        <source>the object</source>
        <translation>该对象</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>key %1</source>
        <translation>键 %1</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>lost</source>
        <translation>丢失了</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>applied twice, or invented</source>
        <translation>被应用了两次，或是凭空出现的</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Process %1&apos;s read of %2 returned %3 (line %4), but the increments that completed before it add up to %5 and no other could have taken effect by then: an increment was %6.</source>
        <translation>进程 %1 对%2的读取返回 %3（第 %4 行），但在它之前完成的增量之和为 %5，且当时不可能还有其他增量生效：有一次增量%6。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Process %1&apos;s read of %2 returned %3 (line %4), but the increments that completed before it add up to %5 and with those that may have taken effect by then it can only be %6 to %7: an increment was %8.</source>
        <translation>进程 %1 对%2的读取返回 %3（第 %4 行），但在它之前完成的增量之和为 %5，加上当时可能已生效的增量，结果只能在 %6 到 %7 之间：有一次增量%8。</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>No order of these %1 operations on %2 gives each one its result, and without any one of them an order exists: %3.</source>
        <translation>%2上的这 %1 个操作没有任何顺序能让每个操作都得到它的结果，而去掉其中任意一个就存在这样的顺序：%3。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>No order of these %1 operations on %2 gives each one its result: %3.</source>
        <translation>%2上的这 %1 个操作没有任何顺序能让每个操作都得到它的结果：%3。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 The search could not place %2.</source>
        <translation>%1 搜索无法安排 %2。</translation>
    </message>
    <message>
        <location filename="../core/check/counter_checks.cpp" line="+43"/>
        <source>Linearizable so far: some order of the %1 operations explains every read (%2 of unknown outcome).</source>
        <translation>目前满足线性一致性：%1 个操作存在某种顺序能解释每一次读取（其中 %2 个结果未知）。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Not decided: the search ran out of budget on key %1.</source>
        <translation>未能判定：在键 %1 上的搜索耗尽了预算。</translation>
    </message>
    <message>
        <location line="+84"/>
        <source>Key %1 holds %2, but the acknowledged increments add up to %3 and the unknown ones allow at most %4.</source>
        <translation>键 %1 的值为 %2，但已确认的增量之和为 %3，加上结果未知的增量最多也只能是 %4。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Every key holds the sum of its acknowledged increments, plus some of the unknown ones (%1 keys).</source>
        <translation>每个键的值都等于其已确认增量之和，再加上部分结果未知的增量（共 %1 个键）。</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Request %1 was applied twice to key %2 on %3.</source>
        <translation>请求 %1 在 %3 上被重复应用到键 %2。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>No replica applied a request id twice.</source>
        <translation>没有副本重复应用同一个请求 ID。</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Version %1 of key %2 is %3 on %4 but %5 on %6.</source>
        <translation>键 %2 的版本 %1 在 %4 上是 %3，在 %6 上却是 %5。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Replicas holding the same version of a key hold the same value.</source>
        <translation>持有某个键同一版本的副本，值都相同。</translation>
    </message>
</context>
<context>
    <name>Details</name>
    <message>
        <location filename="../core/protocols/kv/kv_client.cpp" line="+76"/>
        <location filename="../core/protocols/kv/kv_server.cpp" line="+130"/>
        <source>ring epoch</source>
        <translation>环版本号</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+2"/>
        <location line="+10"/>
        <location filename="../core/protocols/kv/kv_server.cpp" line="+0"/>
        <location line="+5"/>
        <location filename="../core/protocols/lock/lease/lease_lock_server.cpp" line="+147"/>
        <location filename="../core/protocols/lock/zk/zk_lock_client.cpp" line="+113"/>
        <location filename="../core/protocols/txn/saga_orchestrator.cpp" line="+133"/>
        <location filename="../core/protocols/txn/two_phase_commit_participant.cpp" line="+121"/>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location line="-11"/>
        <source>workload</source>
        <translation>负载生成</translation>
    </message>
    <message>
        <location line="+0"/>
        <location filename="../core/protocols/txn/saga_orchestrator.cpp" line="-6"/>
        <source>running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>outstanding</source>
        <translation>进行中的请求</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>queued</source>
        <translation>排队中</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ok</source>
        <translation>成功</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>unknown</source>
        <translation>结果未知</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>last op</source>
        <translation>最近操作</translation>
    </message>
    <message>
        <location filename="../core/protocols/kv/kv_server.cpp" line="-4"/>
        <source>pending writes</source>
        <translation>待完成写入</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>pending pulls</source>
        <translation>待完成拉取</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>reads served</source>
        <translation>已服务读取</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>writes applied</source>
        <translation>已应用写入</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>last write</source>
        <translation>最近写入</translation>
    </message>
    <message>
        <location filename="../core/protocols/counter/counter_client.cpp" line="+108"/>
        <location filename="../core/protocols/counter/counter_worker.cpp" line="+381"/>
        <location filename="../core/protocols/kv/control_node.cpp" line="+29"/>
        <location filename="../core/protocols/txn/three_phase_commit_coordinator.cpp" line="+111"/>
        <location filename="../core/protocols/txn/three_phase_commit_participant.cpp" line="+116"/>
        <location filename="../core/protocols/txn/two_phase_commit_coordinator.cpp" line="+114"/>
        <location filename="../core/protocols/txn/two_phase_commit_participant.cpp" line="-4"/>
        <source>role</source>
        <translation>角色</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>counter client</source>
        <translation>计数器客户端</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>operations done</source>
        <translation>已完成的操作</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>waiting for</source>
        <translation>正在等待</translation>
    </message>
    <message>
        <location filename="../core/protocols/kv/control_node.cpp" line="+0"/>
        <source>membership service</source>
        <translation>成员管理服务</translation>
    </message>
    <message>
        <location filename="../core/protocols/lock/lease/fenced_storage.cpp" line="+61"/>
        <source>fencing</source>
        <translation>防护令牌校验</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../core/protocols/lock/lease/lease_lock_server.cpp" line="-10"/>
        <source>on</source>
        <translation>开</translation>
    </message>
    <message>
        <location line="+0"/>
        <location filename="../core/protocols/lock/lease/lease_lock_server.cpp" line="+1"/>
        <source>off</source>
        <translation>关</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>highest fencing token</source>
        <translation>最高防护令牌</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>last sequence number</source>
        <translation>最后的序号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>reads accepted</source>
        <translation>已接受的读取</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>reads rejected</source>
        <translation>已拒绝的读取</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>writes accepted</source>
        <translation>已接受的写入</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>writes rejected</source>
        <translation>已拒绝的写入</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>keys</source>
        <translation>键数</translation>
    </message>
    <message>
        <location filename="../core/protocols/lock/lease/lease_lock_server.cpp" line="-2"/>
        <source>persistence</source>
        <translation>持久化</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>clock offset</source>
        <translation>时钟偏移</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>clock drift (ppm)</source>
        <translation>时钟漂移 (ppm)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>fencing counter</source>
        <translation>防护令牌计数器</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../core/protocols/lock/lease/redlock_client.cpp" line="+81"/>
        <location filename="../core/protocols/lock/zk/zk_lock_client.cpp" line="+7"/>
        <source>grants</source>
        <translation>授予次数</translation>
    </message>
    <message>
        <location filename="../core/protocols/lock/lease/lease_lock_client.cpp" line="+77"/>
        <location filename="../core/protocols/lock/lease/redlock_client.cpp" line="-2"/>
        <source>resource</source>
        <translation>资源</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../core/protocols/lock/lease/redlock_client.cpp" line="+1"/>
        <source>token</source>
        <translation>令牌</translation>
    </message>
    <message>
        <location line="+2"/>
        <location filename="../core/protocols/lock/lease/redlock_client.cpp" line="+4"/>
        <source>locks taken</source>
        <translation>已获得锁次数</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../core/protocols/lock/lease/redlock_client.cpp" line="+2"/>
        <source>locks lost</source>
        <translation>丢失的锁</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../core/protocols/lock/lease/lease_lock_server.cpp" line="+1"/>
        <source>refused acquires</source>
        <translation>被拒绝的加锁请求</translation>
    </message>
    <message>
        <location filename="../core/protocols/lock/lease/lease_lock_server.cpp" line="+2"/>
        <location line="+2"/>
        <source>lock</source>
        <translation>锁</translation>
    </message>
    <message>
        <location filename="../core/protocols/lock/zk/coordination_server.cpp" line="+63"/>
        <source>sessions</source>
        <translation>会话</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>znodes</source>
        <translation>znode 节点</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>zxid</source>
        <translation>zxid</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>watches</source>
        <translation>监视</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>expired sessions</source>
        <translation>已过期的会话</translation>
    </message>
    <message>
        <location filename="../core/protocols/lock/lease/lease_lock_client.cpp" line="-6"/>
        <location filename="../core/protocols/lock/lease/redlock_client.cpp" line="-8"/>
        <location filename="../core/protocols/lock/zk/zk_lock_client.cpp" line="-6"/>
        <source>state</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../core/protocols/lock/zk/zk_lock_client.cpp" line="+1"/>
        <source>lock node</source>
        <translation>锁节点</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>watching</source>
        <translation>正在监视</translation>
    </message>
    <message>
        <location filename="../core/protocols/counter/counter_worker.cpp" line="+0"/>
        <source>counter worker</source>
        <translation>计数器工作者</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>stage</source>
        <translation>阶段</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>job</source>
        <translation>任务</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>replicas</source>
        <translation>副本</translation>
    </message>
    <message>
        <location line="+2"/>
        <location filename="../core/protocols/lock/lease/lease_lock_client.cpp" line="+3"/>
        <location filename="../core/protocols/lock/zk/zk_lock_client.cpp" line="+1"/>
        <source>fencing token</source>
        <translation>防护令牌</translation>
    </message>
    <message>
        <location filename="../core/protocols/lock/zk/zk_lock_client.cpp" line="+2"/>
        <source>wakeups</source>
        <translation>唤醒次数</translation>
    </message>
    <message>
        <location filename="../core/protocols/lock/lease/redlock_client.cpp" line="+5"/>
        <source>validity</source>
        <translation>有效期</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>failed attempts</source>
        <translation>失败尝试次数</translation>
    </message>
    <message>
        <location filename="../core/protocols/txn/saga_orchestrator.cpp" line="+1"/>
        <source>compensating</source>
        <translation>补偿中</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>done</source>
        <translation>完成</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../core/protocols/txn/saga_service.cpp" line="+63"/>
        <source>compensated</source>
        <translation>已补偿</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>resends</source>
        <translation>重发次数</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+11"/>
        <source>saga</source>
        <translation>Saga</translation>
    </message>
    <message>
        <location filename="../core/protocols/txn/saga_service.cpp" line="-3"/>
        <source>balance</source>
        <translation>余额</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>applied steps</source>
        <translation>已执行的步骤</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>refused</source>
        <translation>已拒绝</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>tombstones</source>
        <translation>墓碑记录</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>step</source>
        <translation>步骤</translation>
    </message>
    <message>
        <location filename="../core/protocols/txn/three_phase_commit_coordinator.cpp" line="+0"/>
        <source>3PC coordinator</source>
        <translation>三阶段提交协调者</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../core/protocols/txn/three_phase_commit_participant.cpp" line="+1"/>
        <location filename="../core/protocols/txn/two_phase_commit_coordinator.cpp" line="+1"/>
        <source>transactions</source>
        <translation>事务</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../core/protocols/txn/three_phase_commit_participant.cpp" line="+1"/>
        <source>committed</source>
        <translation>已提交</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../core/protocols/txn/three_phase_commit_participant.cpp" line="+1"/>
        <source>aborted</source>
        <translation>已中止</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../core/protocols/txn/three_phase_commit_participant.cpp" line="+2"/>
        <source>malformed messages</source>
        <translation>格式错误的消息</translation>
    </message>
    <message>
        <location line="+9"/>
        <location filename="../core/protocols/txn/three_phase_commit_participant.cpp" line="+8"/>
        <source>transaction</source>
        <translation>事务</translation>
    </message>
    <message>
        <location filename="../core/protocols/txn/three_phase_commit_participant.cpp" line="-13"/>
        <source>3PC participant</source>
        <translation>三阶段提交参与者</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>backup decisions</source>
        <translation>后备协调者的决定</translation>
    </message>
    <message>
        <location filename="../core/protocols/txn/two_phase_commit_coordinator.cpp" line="-1"/>
        <source>2PC coordinator</source>
        <translation>两阶段提交协调者</translation>
    </message>
    <message>
        <location line="+9"/>
        <location filename="../core/protocols/txn/two_phase_commit_participant.cpp" line="+16"/>
        <source>txn</source>
        <translation>事务</translation>
    </message>
    <message>
        <location filename="../core/protocols/txn/two_phase_commit_participant.cpp" line="-16"/>
        <source>2PC participant</source>
        <translation>两阶段提交参与者</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>locks held</source>
        <translation>持有的锁</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>blocked</source>
        <translation>阻塞</translation>
    </message>
    <message>
        <location filename="../core/protocols/mq/broker.cpp" line="+82"/>
        <source>queues</source>
        <translation>队列</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>channels</source>
        <translation>通道</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../core/protocols/mq/producer.cpp" line="+41"/>
        <source>published</source>
        <translation>已发布</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>delivered</source>
        <translation>已投递</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>redelivered</source>
        <translation>重新投递</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../core/protocols/mq/consumer.cpp" line="+56"/>
        <source>acked</source>
        <translation>已确认</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>requeued</source>
        <translation>重新入队</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>dead-lettered</source>
        <translation>转入死信队列</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>channel errors</source>
        <translation>通道错误</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>channel timeouts</source>
        <translation>通道超时</translation>
    </message>
    <message>
        <location line="+3"/>
        <location filename="../core/protocols/mq/consumer.cpp" line="-11"/>
        <source>queue</source>
        <translation>队列</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>channel</source>
        <translation>通道</translation>
    </message>
    <message>
        <location filename="../core/protocols/mq/consumer.cpp" line="-1"/>
        <location filename="../core/protocols/mq/producer.cpp" line="-1"/>
        <source>mode</source>
        <translation>模式</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>prefetch</source>
        <translation>预取</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>idempotent</source>
        <translation>幂等</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>processing</source>
        <translation>正在处理</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>inbox</source>
        <translation>收件箱</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>received</source>
        <translation>已接收</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>nacked</source>
        <translation>已否定确认</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>effects</source>
        <translation>效果</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>skipped</source>
        <translation>已跳过</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>dropped</source>
        <translation>已丢弃</translation>
    </message>
    <message>
        <location filename="../core/protocols/mq/ledger.cpp" line="+39"/>
        <source>effects applied</source>
        <translation>已生效的效果</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>messages</source>
        <translation>消息数</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>applied twice</source>
        <translation>重复生效</translation>
    </message>
    <message>
        <location filename="../core/protocols/mq/producer.cpp" line="+2"/>
        <source>confirmed</source>
        <translation>已确认</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>unconfirmed</source>
        <translation>未确认</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>to publish</source>
        <translation>待发布</translation>
    </message>
    <message>
        <location filename="../core/protocols/counter/counter_replica.cpp" line="+132"/>
        <source>key</source>
        <translation>键</translation>
    </message>
</context>
<context>
    <name>TimelineExport</name>
    <message>
        <location filename="../app/timeline_export.cpp" line="+67"/>
        <source>Could not write %1: %2.</source>
        <translation>无法写入 %1：%2。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Space-time diagram</source>
        <translation>时空图</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Drawn by Distlab from the run&apos;s trace.</source>
        <translation>由 Distlab 根据运行的跟踪记录绘制。</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+7"/>
        <source>Could not write %1.</source>
        <translation>无法写入 %1。</translation>
    </message>
</context>
<context>
    <name>distlab::ChecksPanel</name>
    <message>
        <location filename="../widgets/checks_panel.cpp" line="+83"/>
        <source>Verdict</source>
        <translation>结论</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Check</source>
        <translation>检查</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Explanation</source>
        <translation>说明</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Enter or a click shows a verdict&apos;s evidence: its node is selected and the timeline marks the moment</source>
        <translation>按 Enter 或单击显示结论的证据：选中相关节点，并在时间线上标出时刻</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Replicas agree</source>
        <translation>副本一致</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No acknowledged write lost</source>
        <translation>已确认的写入不丢失</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Acknowledged order</source>
        <translation>确认顺序</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mutual exclusion</source>
        <translation>互斥</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Monotonic fencing tokens</source>
        <translation>防护令牌单调递增</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>First-come, first-served grants</source>
        <translation>先到先得的授予</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>One wakeup per release</source>
        <translation>每次释放只唤醒一个</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Atomicity</source>
        <translation>原子性</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Validity</source>
        <translation>有效性</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Irrevocability</source>
        <translation>不可撤销性</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Saga log shape</source>
        <translation>Saga 日志结构</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Every message accounted for</source>
        <translation>每条消息都有着落</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Effect exactly once</source>
        <translation>效果恰好一次</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Complete history</source>
        <translation>历史完整</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Linearizable counter</source>
        <translation>计数器线性一致</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Counter exact</source>
        <translation>计数器精确</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Each increment applied once</source>
        <translation>每次增量只应用一次</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Ring and key-value store</source>
        <translation>哈希环与键值存储</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Locks</source>
        <translation>锁</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Transactions</source>
        <translation>事务</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Queues</source>
        <translation>队列</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Distributed counter</source>
        <translation>分布式计数器</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Session</source>
        <translation>会话</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>✓ holds</source>
        <translation>✓ 成立</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>✗ fails</source>
        <translation>✗ 失败</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Not checked yet.</source>
        <translation>尚未检查。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No checks yet: a lab&apos;s checks start once it has something to check.</source>
        <translation>还没有检查：实验有了可检查的内容后才开始检查。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>on the history up to %1 ms</source>
        <translation>（基于截至 %1 ms 的历史）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>All %1 checks hold %2.</source>
        <translation>全部 %1 项检查成立%2。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 of %2 checks fail %3.</source>
        <translation>%2 项检查中有 %1 项失败%3。</translation>
    </message>
    <message>
        <location line="+62"/>
        <source>%1: %2. %3</source>
        <translation>%1：%2。%3</translation>
    </message>
</context>
<context>
    <name>distlab::ConsoleWidget</name>
    <message>
        <location filename="../widgets/console_widget.cpp" line="+56"/>
        <source>Type a command, Tab completes, Up/Down recalls history</source>
        <translation>输入命令，按 Tab 补全，按上/下方向键调出历史记录</translation>
    </message>
</context>
<context>
    <name>distlab::ControlBar</name>
    <message>
        <location filename="../widgets/control_bar.cpp" line="+163"/>
        <source>Controls</source>
        <translation>控制</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+181"/>
        <source>Play</source>
        <translation>运行</translation>
    </message>
    <message>
        <location line="-179"/>
        <source>Play or pause the simulation (Space)</source>
        <translation>运行或暂停模拟（空格键）</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Back</source>
        <translation>后退</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Go back one event (Left): the run is replayed from its start</source>
        <translation>后退一个事件（左方向键）：从头重放这次运行</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Step</source>
        <translation>单步</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Run until the next event (Right)</source>
        <translation>运行到下一个事件（右方向键）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Speed</source>
        <translation>速度</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Simulation speed: simulated time per real second, from ×0.1 to ×1000</source>
        <translation>模拟速度：每一真实秒推进的模拟时间，范围为 ×0.1 至 ×1000</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Simulated time</source>
        <translation>模拟时间</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Time travel: drag to a moment of the run and let go; the run is replayed to it</source>
        <translation>时间旅行：拖到运行中的某一时刻再松开，运行会重放到那里</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Seed of this run: the same scenario and seed replay exactly</source>
        <translation>本次运行的随机种子：相同的场景和随机种子可完全重现运行过程</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Add node</source>
        <translation>添加节点</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add a node to the ring: a server, or in a counter scenario a replica</source>
        <translation>向环中添加一个节点：服务器，在计数器场景中则是副本</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Kill</source>
        <translation>终止</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Crash the selected node: its volatile state and timers are lost</source>
        <translation>使所选节点崩溃：其易失状态和定时器将丢失</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Restart</source>
        <translation>重启</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Restart the selected node from its durable state</source>
        <translation>从持久化状态重启所选节点</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Take the selected node out of its ring for good (a ring server or a counter replica)</source>
        <translation>把选中的节点永久移出它的环（环上的服务器或计数器的副本）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Pause node</source>
        <translation>暂停节点</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Stop the selected node for a while, as a long garbage-collection pause would</source>
        <translation>让所选节点停止一段时间，就像一次较长的垃圾回收停顿</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Partition</source>
        <translation>分区</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cut the network into two groups that cannot talk to each other</source>
        <translation>将网络切分为两个无法互相通信的组</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Heal</source>
        <translation>恢复网络</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Repair every partition and one-way cut</source>
        <translation>修复所有网络分区和单向断开</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>×%1</source>
        <translation>×%1</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>t = %1</source>
        <translation>t = %1</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>→ %1</source>
        <translation>→ %1</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>seed %1</source>
        <translation>随机种子 %1</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>real time</source>
        <translation>真实时间</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
</context>
<context>
    <name>distlab::CounterBoard</name>
    <message>
        <location filename="../widgets/counter_view.cpp" line="+146"/>
        <source>Load the “counter” scenario (File › Built-in scenarios) to see the distributed counter.</source>
        <translation>加载 “counter” 场景（文件 › 内置场景）即可查看分布式计数器。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Checking the history…</source>
        <translation>正在检查历史…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>✓ Linearizable so far: every acknowledged increment is counted exactly once</source>
        <translation>✓ 迄今可线性化：每个已确认的增量都恰好计入一次</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>✗ %1 (click to see the operations that prove it): %2</source>
        <translation>✗ %1（点击查看证明它的操作）：%2</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Broken on purpose: %1</source>
        <translation>故意破坏：%1</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Key %1 · version %2</source>
        <translation>键 %1 · 版本 %2</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>exact</source>
        <translation>精确</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>lost increments</source>
        <translation>丢失了增量</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>counted twice</source>
        <translation>重复计数</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>required: %1 (%2 acknowledged)</source>
        <translation>应为：%1（%2 个已确认）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>required: %1 – %2 (%3 acknowledged, %4 unknown)</source>
        <translation>应为：%1 – %2（%3 个已确认，%4 个未知）</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>%1 (down)</source>
        <translation>%1（宕机）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 (v%2)</source>
        <translation>%1（v%2）</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>not held</source>
        <translation>未持有</translation>
    </message>
</context>
<context>
    <name>distlab::CounterPanel</name>
    <message>
        <location line="-180"/>
        <source>No fencing</source>
        <translation>不用 fencing</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Replicas accept any fencing token: a worker paused past its lease writes over newer state. Exposed by pausing a worker.</source>
        <translation>副本接受任何 fencing 令牌：暂停超过租约的 worker 会覆盖更新的状态。暂停一个 worker 即可暴露。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No dedup</source>
        <translation>不去重</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Workers do not look up the request id: a retried or redelivered increment counts twice. Exposed by killing a worker or dropping messages.</source>
        <translation>worker 不查请求 id：重试或重新投递的自增会被计两次。杀掉一个 worker 或丢弃消息即可暴露。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>R = 1</source>
        <translation>R = 1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>One replica per key: when it fails, the key moves to a node that holds nothing. Exposed by killing a replica.</source>
        <translation>每个键只有一个副本：它故障时，键转到一个什么都没有的节点。杀掉一个副本即可暴露。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ack early</source>
        <translation>提前确认</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Workers acknowledge before the commit: a crash loses an acknowledged increment. Exposed by killing a worker.</source>
        <translation>worker 在提交之前就确认：一次崩溃会丢失已确认的自增。杀掉一个 worker 即可暴露。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Skip lock</source>
        <translation>不加锁</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Workers take no lock: two of them read the same state and one increment overwrites the other. Exposed by any busy run.</source>
        <translation>worker 不加锁：两个 worker 读到同一状态，一个自增覆盖另一个。任何繁忙的运行都能暴露。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>3PC</source>
        <translation>3PC</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Three-phase commit instead of two-phase: under a partition each side decides on its own, and an acknowledged increment can be lost. Exposed by a partition between replicas.</source>
        <translation>用三阶段提交代替两阶段提交：网络分区时每一边各自决定，已确认的自增可能丢失。副本之间的分区即可暴露。</translation>
    </message>
    <message>
        <location line="+303"/>
        <source>simulated time (s)</source>
        <translation>模拟时间（秒）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>acknowledged + unknown</source>
        <translation>已确认 + 未知</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>acknowledged increments</source>
        <translation>已确认的增量</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>committed value</source>
        <translation>已提交的值</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Break it:</source>
        <translation>破坏它：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Each switch takes one safety measure away; the checker shows what goes wrong. Console: break SWITCH on|off</source>
        <translation>每个开关去掉一项安全措施；检查器会显示出了什么错。控制台：break SWITCH on|off</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Console: break %1 on|off</source>
        <translation>控制台：break %1 on|off</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>Key %1 over time</source>
        <translation>键 %1 随时间的变化</translation>
    </message>
</context>
<context>
    <name>distlab::Inspector</name>
    <message>
        <location filename="../widgets/inspector.cpp" line="+34"/>
        <location line="+91"/>
        <source>Click a node to inspect it.</source>
        <translation>点击节点以查看其详情。</translation>
    </message>
    <message>
        <location line="-67"/>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Keys owned</source>
        <translation>负责的键数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Keys stored</source>
        <translation>存储的键数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Virtual nodes</source>
        <translation>虚拟节点</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Load share</source>
        <translation>负载占比</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pending messages</source>
        <translation>待处理消息</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Protocol state</source>
        <translation>协议状态</translation>
    </message>
    <message>
        <location line="+54"/>
        <source>Node %1 is not in the cluster.</source>
        <translation>节点 %1 不在集群中。</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Client</source>
        <translation>客户端</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Control</source>
        <translation>控制端</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Lab service</source>
        <translation>实验服务</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Up, not on the ring</source>
        <translation>运行中，不在环上</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Up</source>
        <translation>运行中</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Crashed</source>
        <translation>已崩溃</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Paused until %1</source>
        <translation>暂停至 %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Removed</source>
        <translation>已移除</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>%1 %</source>
        <translation>%1%</translation>
    </message>
</context>
<context>
    <name>distlab::LoadChart</name>
    <message>
        <location filename="../widgets/load_chart.cpp" line="+82"/>
        <location line="+53"/>
        <source>Keys per node</source>
        <translation>每个节点的键数</translation>
    </message>
    <message>
        <location line="-52"/>
        <source>Keys moved by each membership change</source>
        <translation>每次成员变更迁移的键</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No membership change yet.</source>
        <translation>尚无成员变更。</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>Keys per node (even share: %1)</source>
        <translation>每个节点的键数（均分值：%1）</translation>
    </message>
    <message>
        <location line="+25"/>
        <location line="+31"/>
        <source>keys</source>
        <translation>键数</translation>
    </message>
    <message>
        <location line="-8"/>
        <source>%1 nodes</source>
        <translation>%1 个节点</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>moved by the ring</source>
        <translation>哈希环迁移的键</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>moved by modulo hashing</source>
        <translation>取模哈希迁移的键</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>no change yet</source>
        <translation>尚无变更</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>% of keys</source>
        <translation>键占比 (%)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Ideal when a node joins N = %1 servers: 1/(N+1) = %2 % of the keys move.</source>
        <translation>理想情况：一个节点加入 N = %1 台服务器时，会有 1/(N+1) = %2% 的键迁移。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Modulo hashing moves about N/(N+1) = %1 %.</source>
        <translation>取模哈希约迁移 N/(N+1) = %1% 的键。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No node is on the ring yet.</source>
        <translation>环上还没有节点。</translation>
    </message>
</context>
<context>
    <name>distlab::LockView</name>
    <message>
        <location filename="../widgets/lock_view.cpp" line="+121"/>
        <source>Redlock</source>
        <translation>Redlock</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ZooKeeper-style lock</source>
        <translation>ZooKeeper 式锁</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>lease lock</source>
        <translation>租约锁</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+90"/>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <location line="-75"/>
        <source>%1 · token %2</source>
        <translation>%1 · 令牌 %2</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Lock is free</source>
        <translation>锁空闲</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Holder: %1</source>
        <translation>持有者：%1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>fencing token %1</source>
        <translation>防护令牌 %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no fencing token</source>
        <translation>无防护令牌</translation>
    </message>
    <message>
        <location line="+9"/>
        <location line="+87"/>
        <location line="+261"/>
        <source>%1 s left</source>
        <translation>剩余 %1 秒</translation>
    </message>
    <message>
        <location line="-347"/>
        <location line="+345"/>
        <source>lease ends in %1 s</source>
        <translation>租约 %1 秒后到期</translation>
    </message>
    <message>
        <location line="-336"/>
        <source>%1 (token %2) and %3 (token %4) both wrote while each believed it held the lock.</source>
        <translation>%1（令牌 %2）和 %3（令牌 %4）都以为自己持有锁，并都写入了。</translation>
    </message>
    <message numerus="yes">
        <location line="+8"/>
        <source>(%n more conflicts)</source>
        <translation>
            <numerusform>（还有 %n 个冲突）</numerusform>
        </translation>
    </message>
    <message>
        <location line="+8"/>
        <source>crashed</source>
        <translation>已崩溃</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>removed</source>
        <translation>已移除</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Redlock servers · majority %1 of %2</source>
        <translation>Redlock 服务器 · 多数为 %2 台中的 %1 台</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lock server</source>
        <translation>锁服务器</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Lock servers</source>
        <translation>锁服务器</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>free</source>
        <translation>空闲</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>clock %1 s</source>
        <translation>时钟 %1 秒</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>clock %1 ms</source>
        <translation>时钟 %1 毫秒</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>drift %1 ppm</source>
        <translation>漂移 %1 ppm</translation>
    </message>
    <message>
        <location line="+70"/>
        <source>REFUSED (older than %1)</source>
        <translation>已拒绝（早于 %1）</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>REFUSED</source>
        <translation>已拒绝</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>#%1</source>
        <translation>#%1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>read</source>
        <translation>读取</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>no token</source>
        <translation>无令牌</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Storage (disk)</source>
        <translation>存储（磁盘）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>all resources</source>
        <translation>所有资源</translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>last %n accesses</source>
        <translation>
            <numerusform>最近 %n 次访问</numerusform>
        </translation>
    </message>
    <message>
        <location line="+40"/>
        <location line="+680"/>
        <source>+%1 more</source>
        <translation>还有 %1 个</translation>
    </message>
    <message>
        <location line="-661"/>
        <location line="+629"/>
        <source>/locks/%1</source>
        <translation>/locks/%1</translation>
    </message>
    <message>
        <location line="-583"/>
        <source>Waiting</source>
        <translation>等待中</translation>
    </message>
    <message>
        <location line="+29"/>
        <location line="+446"/>
        <source>CONFLICT</source>
        <translation>冲突</translation>
    </message>
    <message>
        <location line="-74"/>
        <source>No lock has been requested yet. Type &apos;lock acquire c1 R&apos; in the console.</source>
        <translation>还没有人请求锁。请在控制台输入 &apos;lock acquire c1 R&apos;。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No lock scenario is loaded. Open one of the lock- scenarios (File &gt; Built-in scenarios) or type &apos;lock acquire c9 R&apos; in the console.</source>
        <translation>尚未加载锁场景。请打开一个 lock- 场景（文件 &gt; 内置场景），或在控制台输入 &apos;lock acquire c9 R&apos;。</translation>
    </message>
    <message>
        <location line="+58"/>
        <source>no fencing tokens: the storage cannot tell holders apart</source>
        <translation>没有防护令牌：存储无法区分持有者</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>fencing on, highest accepted token %1</source>
        <translation>防护令牌校验开启，已接受的最高令牌 %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>fencing off</source>
        <translation>防护令牌校验关闭</translation>
    </message>
    <message>
        <location line="+78"/>
        <source>Waiting: no one</source>
        <translation>等待者：无</translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>Lock nodes, in order · every waiter watches the parent (%n wake-ups)</source>
        <translation>
            <numerusform>锁节点（按顺序）· 每个等待者都监视父节点（%n 次唤醒）</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Lock nodes, in order · each waiter watches its predecessor</source>
        <translation>锁节点（按顺序）· 每个等待者监视它的前驱节点</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Waiting, in order of arrival</source>
        <translation>等待者（按到达顺序）</translation>
    </message>
    <message>
        <location line="+79"/>
        <source>Last %1 grants</source>
        <translation>最近 %1 次授予</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Grants</source>
        <translation>授予记录</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 · writes: %2 accepted, %3 rejected</source>
        <translation>%1 · 写入：%2 次接受，%3 次拒绝</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>client</source>
        <translation>客户端</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>token</source>
        <translation>令牌</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>granted</source>
        <translation>授予时间</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>ended</source>
        <translation>结束时间</translation>
    </message>
    <message>
        <location line="-762"/>
        <location line="+762"/>
        <source>write</source>
        <translation>写入</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>No grants yet.</source>
        <translation>尚无授予。</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>holding</source>
        <translation>持有中</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location line="-812"/>
        <location line="+815"/>
        <source>accepted</source>
        <translation>已接受</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>rejected</source>
        <translation>已拒绝</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <location line="+144"/>
        <source>believes it holds</source>
        <translation>以为自己持有</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>really holds</source>
        <translation>实际持有</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>(%1 of %2 clients)</source>
        <translation>（%2 个客户端中的 %1 个）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Who holds the lock, over time</source>
        <translation>谁持有锁（随时间）</translation>
    </message>
    <message>
        <location line="-963"/>
        <location line="+1055"/>
        <source>token %1</source>
        <translation>令牌 %1</translation>
    </message>
</context>
<context>
    <name>distlab::MainWindow</name>
    <message>
        <location filename="../app/main_window.cpp" line="+53"/>
        <location line="+347"/>
        <source>Distlab — distributed systems laboratory</source>
        <translation>Distlab — 分布式系统实验室</translation>
    </message>
    <message>
        <location line="-338"/>
        <source>Ring</source>
        <translation>哈希环</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Locks</source>
        <translation>锁</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Timeline</source>
        <translation>时间线</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Queues</source>
        <translation>队列</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Counter</source>
        <translation>计数器</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Space: play or pause · Right / Left: one event forwards / back · Tab in the console completes commands</source>
        <translation>空格键：运行或暂停 · 右/左方向键：前进/后退一个事件 · 在控制台中按 Tab 补全命令</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>Fit whole run</source>
        <translation>显示整个运行</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Show the whole run and follow it as it grows (Home)</source>
        <translation>显示整个运行并随其增长而跟随（Home）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Event order</source>
        <translation>事件顺序</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Space the diagram by event order instead of simulated time, to spread out bursts</source>
        <translation>按事件顺序而不是模拟时间排布，以展开密集的突发</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Jump to selected event</source>
        <translation>跳到所选事件</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Move the run to the moment the selected message was sent or the selected event happened</source>
        <translation>把运行移到所选消息发送或所选事件发生的时刻</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save the diagram as an SVG drawing or a PNG image</source>
        <translation>把图保存为 SVG 矢量图或 PNG 图片</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Wheel: zoom · drag: pan · click a lane to select its node</source>
        <translation>滚轮：缩放 · 拖动：平移 · 点击泳道选择其节点</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Inspector</source>
        <translation>检查器</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Load and key movement</source>
        <translation>负载与键迁移</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Lab console</source>
        <translation>实验控制台</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Checks</source>
        <translation>检查</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Open scenario…</source>
        <translation>打开场景(&amp;O)…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Built-in scenarios</source>
        <translation>内置场景(&amp;B)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&amp;Export trace…</source>
        <translation>导出跟踪(&amp;E)…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Ctrl+E</source>
        <translation>Ctrl+E</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export &amp;timeline…</source>
        <translation>导出时间线(&amp;T)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ctrl+Shift+E</source>
        <translation>Ctrl+Shift+E</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save &amp;screenshot…</source>
        <translation>保存截图(&amp;S)…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Ctrl+Shift+S</source>
        <translation>Ctrl+Shift+S</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Simulation</source>
        <translation>模拟(&amp;S)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Play / pause</source>
        <translation>运行/暂停</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Step one event</source>
        <translation>单步执行一个事件</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Step back one event</source>
        <translation>后退一个事件</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Add node</source>
        <translation>添加节点</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ctrl+N</source>
        <translation>Ctrl+N</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Heal network</source>
        <translation>恢复网络</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ctrl+H</source>
        <translation>Ctrl+H</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>C&amp;luster</source>
        <translation>集群(&amp;L)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Launch local cluster</source>
        <translation>启动本机集群(&amp;L)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ctrl+Shift+L</source>
        <translation>Ctrl+Shift+L</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Run every node of this scenario as a distlab-node process on this machine</source>
        <translation>把本场景的每个节点作为 distlab-node 进程在本机运行</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Stop cluster</source>
        <translation>停止集群(&amp;S)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ctrl+Shift+T</source>
        <translation>Ctrl+Shift+T</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>End the processes and go back to the simulator</source>
        <translation>结束这些进程并回到模拟器</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Ring</source>
        <translation>哈希环(&amp;R)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Ctrl+1</source>
        <translation>Ctrl+1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Loc&amp;ks</source>
        <translation>锁(&amp;K)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Ctrl+2</source>
        <translation>Ctrl+2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Timeline</source>
        <translation>时间线(&amp;T)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ctrl+3</source>
        <translation>Ctrl+3</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Queues</source>
        <translation>队列(&amp;Q)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ctrl+4</source>
        <translation>Ctrl+4</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Counter</source>
        <translation>计数器(&amp;C)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ctrl+5</source>
        <translation>Ctrl+5</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>&amp;Checks</source>
        <translation>检查(&amp;C)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ctrl+K</source>
        <translation>Ctrl+K</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Console &amp;commands</source>
        <translation>控制台命令(&amp;C)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;About Distlab</source>
        <translation>关于 Distlab(&amp;A)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Ctrl+L</source>
        <translation>Ctrl+L</translation>
    </message>
    <message>
        <location line="+84"/>
        <source>Launched “%1” as %2 distlab-node processes on 127.0.0.1 (data and logs in %3). Kill and restart act on the real processes; Cluster &gt; Stop cluster goes back to the simulator.</source>
        <translation>已将“%1”作为 %2 个 distlab-node 进程在 127.0.0.1 上启动（数据和日志在 %3）。杀死和重启作用于真实进程；集群 &gt; 停止集群 可回到模拟器。</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Distlab — real processes on this machine</source>
        <translation>Distlab — 本机上的真实进程</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>launch local cluster</source>
        <translation>启动本机集群</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Stopped the cluster&apos;s processes; the simulator is back.</source>
        <translation>已停止集群的进程；回到模拟器。</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>%1 · %2 processes on this machine · %3 events</source>
        <translation>%1 · 本机 %2 个进程 · %3 个事件</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 · seed %2 · %3 events · %4 messages in flight</source>
        <translation>%1 · 随机种子 %2 · %3 个事件 · %4 条传输中的消息</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>%1 · %2 ms</source>
        <translation>%1 · %2 ms</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message>
        <location line="+4"/>
        <source> · nodes: %1</source>
        <translation> · 节点：%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source> · at %1 ms, marked on the timeline</source>
        <translation> · 时刻 %1 ms，已在时间线上标出</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>No node is selected.</source>
        <translation>未选择节点。</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Click a node on the ring or a client in the lock view first.</source>
        <translation>请先点击环上的节点，或锁视图中的客户端。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>A partition needs at least two nodes.</source>
        <translation>网络分区至少需要两个节点。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Loaded scenario “%1” with seed %2.</source>
        <translation>已加载场景“%1”，随机种子为 %2。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Open scenario</source>
        <translation>打开场景</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Scenario files (*.json)</source>
        <translation>场景文件 (*.json)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Export trace</source>
        <translation>导出跟踪</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>JSON lines (*.jsonl)</source>
        <translation>JSON Lines 文件 (*.jsonl)</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Click a message or an event on the timeline first.</source>
        <translation>请先在时间线上点击一条消息或一个事件。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The timeline has not been drawn yet.</source>
        <translation>时间线还没有绘制。</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>SVG drawings (*.svg)</source>
        <translation>SVG 矢量图 (*.svg)</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+7"/>
        <location line="+12"/>
        <source>Export timeline</source>
        <translation>导出时间线</translation>
    </message>
    <message>
        <location line="-12"/>
        <source>Export the whole run or only the part in view?</source>
        <translation>导出整个运行，还是只导出可见部分？</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Whole run</source>
        <translation>整个运行</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Visible window</source>
        <translation>可见部分</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Wrote %1.</source>
        <translation>已写入 %1。</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+3"/>
        <source>Save screenshot</source>
        <translation>保存截图</translation>
    </message>
    <message>
        <location line="-28"/>
        <location line="+26"/>
        <source>PNG images (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Could not write %1.</source>
        <translation>无法写入 %1。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>About Distlab</source>
        <translation>关于 Distlab</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&lt;b&gt;Distlab&lt;/b&gt; %1&lt;br&gt;A laboratory for distributed systems. Everything on screen is drawn from protocol code running in a deterministic simulator: the same scenario and seed always give the same run.</source>
        <translation>&lt;b&gt;Distlab&lt;/b&gt; %1&lt;br&gt;分布式系统实验室。屏幕上的所有内容都来自在确定性模拟器中运行的协议代码：相同的场景和随机种子总会得到相同的运行结果。</translation>
    </message>
</context>
<context>
    <name>distlab::MqRatesChart</name>
    <message>
        <location filename="../widgets/mq_rates_chart.cpp" line="+50"/>
        <location line="+83"/>
        <source>Message rates</source>
        <translation>消息速率</translation>
    </message>
    <message>
        <location line="-78"/>
        <source>simulated time (s)</source>
        <translation>模拟时间 (秒)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>messages/s</source>
        <translation>消息/秒</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>publish</source>
        <translation>发布</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>deliver</source>
        <translation>投递</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>ack</source>
        <translation>确认</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>redeliver</source>
        <translation>重新投递</translation>
    </message>
    <message>
        <location line="+66"/>
        <source>Message rates (%1 ms buckets)</source>
        <translation>消息速率（每 %1 毫秒一个统计区间）</translation>
    </message>
</context>
<context>
    <name>distlab::NetBridge</name>
    <message>
        <location filename="../app/net_bridge.cpp" line="-256"/>
        <source>%1 did not start: %2</source>
        <translation>%1 没有启动：%2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the node program is %1</source>
        <translation>节点程序是 %1</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>the connection closed</source>
        <translation>连接已关闭</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>it sent a frame that is not an envelope</source>
        <translation>它发送了一个不是信封的帧</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>the handshake failed: %1</source>
        <translation>握手失败：%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 refused the observer</source>
        <translation>%1 拒绝了观察者</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>%1 ended unexpectedly</source>
        <translation>%1 意外结束</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 exited with code %2</source>
        <translation>%1 退出，退出码 %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+216"/>
        <source>its log is %1</source>
        <translation>它的日志是 %1</translation>
    </message>
    <message>
        <location line="-69"/>
        <source>restarting</source>
        <translation>正在重启</translation>
    </message>
    <message>
        <location line="+68"/>
        <source>%1 does not answer on 127.0.0.1:%2</source>
        <translation>%1 在 127.0.0.1:%2 上没有应答</translation>
    </message>
</context>
<context>
    <name>distlab::QueueView</name>
    <message>
        <location filename="../widgets/queue_view.cpp" line="+101"/>
        <source>crashed</source>
        <translation>已崩溃</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>removed</source>
        <translation>已移除</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>+%1 more</source>
        <translation>还有 %1 个</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>unacked</source>
        <translation>未确认</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>redelivered</source>
        <translation>重新投递</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>dead-lettered</source>
        <translation>死信</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>durable</source>
        <translation>持久化</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>transient</source>
        <translation>临时</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>buffer %1 (HWM)</source>
        <translation>缓冲 %1（高水位）</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>buffer unbounded</source>
        <translation>缓冲无上限</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>prefetch %1</source>
        <translation>预取 %1</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>prefetch unlimited</source>
        <translation>预取无上限</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>idempotent</source>
        <translation>幂等</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>pushed: %1</source>
        <translation>已推送：%1</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+5"/>
        <source>still to send: %1</source>
        <translation>待发送：%1</translation>
    </message>
    <message>
        <location line="-4"/>
        <source>no confirms: at most once</source>
        <translation>无确认：至多一次</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>published: %1</source>
        <translation>已发布：%1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>confirmed: %1</source>
        <translation>已确认发布：%1</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>%1 applied twice: %2</source>
        <translation>%1 生效了两次：%2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 applied %2 times: %3</source>
        <translation>%1 生效了 %2 次：%3</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Effects applied more than once: %1</source>
        <translation>多次生效的效果：%1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Effects applied at the ledger: %1</source>
        <translation>在账本上生效的效果：%1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>messages lost: %1</source>
        <translation>丢失的消息：%1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>confirmed but never delivered: %1</source>
        <translation>已确认但从未投递：%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>no message applied twice</source>
        <translation>没有消息生效两次</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>received %1</source>
        <translation>已接收 %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+5"/>
        <source>effects %1</source>
        <translation>效果 %1</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>lost %1</source>
        <translation>丢失 %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>acked %1</source>
        <translation>已确认 %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>skipped %1</source>
        <translation>已跳过 %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>nacked %1</source>
        <translation>否定确认 %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>unacked %1</source>
        <translation>未确认 %1</translation>
    </message>
    <message>
        <location line="+241"/>
        <location line="+767"/>
        <source>head →</source>
        <translation>队首 →</translation>
    </message>
    <message>
        <location line="-762"/>
        <location line="+760"/>
        <source>Ready, in queue order</source>
        <translation>就绪消息（按队列顺序）</translation>
    </message>
    <message>
        <location line="-727"/>
        <location line="+687"/>
        <source>messages: %1</source>
        <translation>消息：%1</translation>
    </message>
    <message>
        <location line="-551"/>
        <location line="+660"/>
        <source>working on</source>
        <translation>处理中</translation>
    </message>
    <message>
        <location line="-300"/>
        <source>R</source>
        <comment>a redelivered message</comment>
        <translation>R</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>The queue lab has started, but no producer, queue or consumer exists yet. Type &apos;queue declare orders&apos;, then &apos;consume orders w1&apos; and &apos;publish orders --count 10&apos;.</source>
        <translation>队列实验已启动，但还没有生产者、队列或消费者。请输入 &apos;queue declare orders&apos;，然后输入 &apos;consume orders w1&apos; 和 &apos;publish orders --count 10&apos;。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No queue scenario is loaded. Open one of the mq- scenarios (File &gt; Built-in scenarios) to watch a broker deliver, redeliver and dead-letter messages, or type &apos;queue declare orders&apos; in the console.</source>
        <translation>尚未加载队列场景。打开一个 mq- 场景（文件 &gt; 内置场景），观察消息代理如何投递、重新投递消息并将其转入死信队列；也可以在控制台中输入 &apos;queue declare orders&apos;。</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Producer</source>
        <translation>生产者</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Producers</source>
        <translation>生产者</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Subscribers</source>
        <translation>订阅者</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Consumers</source>
        <translation>消费者</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>direct push, no broker</source>
        <translation>直接推送，无消息代理</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>+%1 more producers</source>
        <translation>还有 %1 个生产者</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>+%1 more subscribers</source>
        <translation>还有 %1 个订阅者</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>+%1 more consumers</source>
        <translation>还有 %1 个消费者</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>waiting for a confirm</source>
        <translation>等待发布确认</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>Broker</source>
        <translation>消息代理</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Broker %1</source>
        <translation>消息代理 %1</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>+%1 more queues</source>
        <translation>还有 %1 个队列</translation>
    </message>
    <message>
        <location line="+54"/>
        <source>lost in a broker restart: %1</source>
        <translation>代理重启时丢失：%1</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>empty</source>
        <translation>空</translation>
    </message>
    <message>
        <location line="+73"/>
        <source>idle</source>
        <translation>空闲</translation>
    </message>
</context>
<context>
    <name>distlab::RingView</name>
    <message>
        <location filename="../widgets/ring_view.cpp" line="+453"/>
        <source>partition</source>
        <translation>网络分区</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>one-way cut</source>
        <translation>单向断开</translation>
    </message>
    <message>
        <location line="+88"/>
        <source>1 key</source>
        <translation>1 个键</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>%1 keys</source>
        <translation>%1 个键</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>crashed</source>
        <translation>已崩溃</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>unreachable</source>
        <translation>无法连通</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>paused, %1 left</source>
        <translation>已暂停，剩余 %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>not on the ring</source>
        <translation>不在环上</translation>
    </message>
    <message>
        <location line="+67"/>
        <source>t = %1</source>
        <translation>t = %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 events · real processes</source>
        <translation>%1 个事件 · 真实进程</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 events · seed %2</source>
        <translation>%1 个事件 · 随机种子 %2</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>hash %1 · %2 vnodes per node</source>
        <translation>哈希 %1 · 每节点 %2 个虚拟节点</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 servers · %2 keys</source>
        <translation>%1 台服务器 · %2 个键</translation>
    </message>
    <message>
        <location line="+52"/>
        <source>messages in flight</source>
        <translation>传输中的消息</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>No cluster yet: start a scenario or type a command.</source>
        <translation>尚无集群：请启动一个场景或输入命令。</translation>
    </message>
</context>
<context>
    <name>distlab::SimBridge</name>
    <message>
        <location filename="../app/sim_bridge.cpp" line="+155"/>
        <source>Moved to %1 ms.</source>
        <translation>已移到 %1 毫秒。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+2"/>
        <source>%1  %2  →  %3</source>
        <translation>%1  %2  →  %3</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>%1: %2 %3 failed: %4</source>
        <translation>%1：%2 %3 失败：%4</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1: put %2 = %3, acknowledged as version %4</source>
        <translation>%1：写入 %2 = %3，已确认，版本 %4</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1: get %2 → %3 (version %4)</source>
        <translation>%1：读取 %2 → %3（版本 %4）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1: get %2 → no such key</source>
        <translation>%1：读取 %2 → 键不存在</translation>
    </message>
</context>
<context>
    <name>distlab::TimelineView</name>
    <message>
        <location filename="../widgets/timeline_view.cpp" line="+166"/>
        <location line="+755"/>
        <source>event order</source>
        <translation>事件顺序</translation>
    </message>
    <message>
        <location line="-755"/>
        <location line="+755"/>
        <source>time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location line="-573"/>
        <source>event #%1</source>
        <translation>事件 #%1</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+587"/>
        <location line="+190"/>
        <location line="+2"/>
        <location line="+26"/>
        <source>%1 ms</source>
        <translation>%1 毫秒</translation>
    </message>
    <message>
        <location line="-771"/>
        <source>now</source>
        <translation>当前</translation>
    </message>
    <message>
        <location line="+78"/>
        <source>No events yet: run the simulation to draw its space-time diagram.</source>
        <translation>还没有事件：运行模拟以绘制时空图。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>the trace stopped recording: only the start of the run</source>
        <translation>跟踪已停止记录：只显示运行的开头</translation>
    </message>
    <message>
        <location line="+498"/>
        <source>INIT</source>
        <translation>初始</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>WAIT</source>
        <translation>等待</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>READY</source>
        <translation>就绪</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>PRECOMMIT</source>
        <translation>预提交</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>COMMIT</source>
        <translation>提交</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ABORT</source>
        <translation>中止</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>END</source>
        <translation>结束</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>saga RUNNING</source>
        <translation>Saga 运行中</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>COMPENSATING</source>
        <translation>补偿中</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>DONE</source>
        <translation>完成</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ABORTED</source>
        <translation>已中止</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>crash</source>
        <translation>崩溃</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>restart</source>
        <translation>重启</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>paused</source>
        <translation>暂停</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>partition</source>
        <translation>分区</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>dropped</source>
        <translation>丢弃</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>duplicate</source>
        <translation>重复</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>client op</source>
        <translation>客户端操作</translation>
    </message>
    <message>
        <location line="+106"/>
        <source>%1 (event #%2)</source>
        <translation>%1（事件 #%2）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>node %1</source>
        <translation>节点 %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1: %2 → %3</source>
        <translation>%1：%2 → %3</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>message #%1</source>
        <translation>消息 #%1</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>, a duplicate copy</source>
        <translation>，一份重复副本</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>sent at %1</source>
        <translation>发送于 %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>delivered at %1, after %2</source>
        <translation>送达于 %1，耗时 %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>dropped at %1</source>
        <translation>丢弃于 %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>still in flight</source>
        <translation>仍在传输中</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>saga %1 on %2: %3</source>
        <translation>%2 上的 Saga %1：%3</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>transaction %1 on %2: %3</source>
        <translation>%2 上的事务 %1：%3</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+46"/>
        <source>from %1</source>
        <translation>自 %1 起</translation>
    </message>
    <message>
        <location line="-44"/>
        <source>still so at %1, for %2</source>
        <translation>到 %1 仍是如此，已持续 %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>until %1, for %2</source>
        <translation>直到 %1，持续 %2</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 crashed at %2</source>
        <translation>%1 于 %2 崩溃</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 removed at %2</source>
        <translation>%1 于 %2 被移除</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 restarted at %2</source>
        <translation>%1 于 %2 重启</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 resumed at %2</source>
        <translation>%1 于 %2 恢复</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 paused from %2 for %3</source>
        <translation>%1 从 %2 起暂停 %3</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>ok</source>
        <translation>成功</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>unknown outcome</source>
        <translation>结果未知</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no answer yet</source>
        <translation>尚无应答</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1: %2 #%3, %4</source>
        <translation>%1：%2 #%3，%4</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>invoked at %1</source>
        <translation>调用于 %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>completed at %1</source>
        <translation>完成于 %1</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>one-way cut: %1 cannot reach %2</source>
        <translation>单向切断：%1 无法到达 %2</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>partition: %1</source>
        <translation>分区：%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>not healed yet</source>
        <translation>尚未恢复</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>healed at %1</source>
        <translation>于 %1 恢复</translation>
    </message>
</context>
<context>
    <name>distlab::geometry</name>
    <message>
        <location filename="../widgets/ring_geometry.cpp" line="+299"/>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
</context>
</TS>
